import { isRegistryEntry } from './restore.command';

// Lines of `pg_restore --list` for a backup of the registry's schemas and of `public`.
describe('the entries of a backup that restore replays', () => {
  it.each([
    '215; 2615 37940 SCHEMA - event_store postgres',
    '222; 1259 37947 TABLE event_store events postgres',
    '3683; 0 37947 TABLE DATA event_store events postgres',
    '3527; 2606 37960 CONSTRAINT event_store events events_pkey postgres',
    '3530; 1255 37971 FUNCTION event_store append(text, text, bigint, jsonb) postgres',
    '3540; 2620 37975 TRIGGER event_store events events_append_only postgres',
    '230; 1259 38006 TABLE public commands_migrations postgres',
    '3687; 0 38006 TABLE DATA public commands_migrations postgres',
    '229; 1259 38005 SEQUENCE public commands_migrations_id_seq postgres',
    '3698; 0 0 SEQUENCE OWNED BY public commands_migrations_id_seq postgres',
    '3704; 0 0 SEQUENCE SET public commands_migrations_id_seq postgres',
    '3527; 2604 38009 DEFAULT public commands_migrations id postgres',
    '3535; 2606 38011 CONSTRAINT public commands_migrations commands_migrations_pkey postgres',
    '240; 1259 39001 VIEW reporting members postgres',
    '241; 2615 39010 SCHEMA - projection_members_g2 postgres',
    '242; 1259 39011 TABLE projection_members_g2 members postgres',
    '3750; 0 39011 TABLE DATA projection_members_g2 members postgres',
  ])('keeps %s', (line) => expect(isRegistryEntry(line)).toBe(true));

  it.each([
    '5; 2615 2200 SCHEMA - public pg_database_owner',
    '3696; 0 0 COMMENT - SCHEMA public pg_database_owner',
    '250; 1259 40001 TABLE public invoices billing',
    '3710; 0 40001 TABLE DATA public invoices billing',
    '260; 2615 40100 SCHEMA - billing billing',
    '262; 2615 40200 SCHEMA - projection_notes billing',
    '261; 1259 40101 TABLE billing invoices billing',
    ';     dbname: registry',
    '',
  ])('leaves out %s', (line) => expect(isRegistryEntry(line)).toBe(false));
});
