import type { PersonalFields } from '@registry/personal-data';

/** The fields sealed under a person's data key, the resident ID number in its canonical (upper-case) form. */
export function personalFieldsOf(input: {
  readonly name: string;
  readonly idNumber: string;
  readonly birthDate: string;
  readonly phone?: string;
}): PersonalFields {
  return {
    name: input.name,
    idNumber: input.idNumber.toUpperCase(),
    birthDate: input.birthDate,
    ...(input.phone === undefined ? {} : { phone: input.phone }),
  };
}
