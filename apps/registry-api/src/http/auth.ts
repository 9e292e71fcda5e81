import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { type Principal, type Role, TokenVerifier } from '@registry/runtime';
import { Problem } from '../problems/problem-details.filter';

const ROLES_KEY = 'registry:roles';
const PUBLIC_KEY = 'registry:public';

/** Only these roles may call the route (any of them). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** No token needed (health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const COMMAND_ROLES: Role[] = ['registrar', 'admin'];
/** Roles that may see a member's name, resident ID number, phone and birth date. */
export const PERSONAL_DATA_ROLES: readonly Role[] = ['registrar', 'auditor', 'admin'];

export type AuthenticatedRequest = Request & { principal: Principal };

export function principalOf(request: Request): Principal {
  const principal = (request as Partial<AuthenticatedRequest>).principal;
  if (!principal) throw new Error('route reached without authentication');
  return principal;
}

/** Bearer JWT on every route not marked @Public; 401 without a valid token, 403 outside the route's roles. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (token === undefined) {
      throw Problem.of(401, 'unauthenticated', 'Unauthenticated', 'send Authorization: Bearer <token>', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    const principal = await this.verifier.verify(token);
    (request as AuthenticatedRequest).principal = principal;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (allowed && !principal.roles.some((role) => allowed.includes(role))) {
      throw Problem.of(403, 'forbidden', 'Forbidden', `this needs one of the roles ${allowed.join(', ')}`);
    }
    return true;
  }
}
