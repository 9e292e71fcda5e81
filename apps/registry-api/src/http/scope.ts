import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Pool } from 'pg';
import { REGISTRY_DATABASE, type RegistryDatabase, type Principal } from '@registry/runtime';
import { Problem } from '../problems/problem-details.filter';
import { businessToday } from './validation';

/** The organisation a token is confined to, if any (admins never are). */
export function scopeOf(principal: Principal | undefined): string | undefined {
  if (!principal?.scope || principal.roles.includes('admin')) return undefined;
  return principal.scope;
}

/**
 * Organisation subtrees as they stand now, from the command side's lookup tables (written in the
 * same transactions as the events, so they never lag behind a command that was answered).
 */
@Injectable()
export class OrganizationScope {
  private readonly pool: Pool;

  constructor(@Inject(REGISTRY_DATABASE) database: RegistryDatabase) {
    this.pool = database.pool;
  }

  async contains(scope: string, organizationId: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ inside: boolean }>(
      `WITH RECURSIVE up(organization_id, parent_id, depth) AS (
         SELECT organization_id, parent_id, 0 FROM command_side.organizations WHERE organization_id::text = $2
         UNION ALL
         SELECT o.organization_id, o.parent_id, up.depth + 1 FROM command_side.organizations o JOIN up ON o.organization_id = up.parent_id
          WHERE up.depth < 64)
       SELECT coalesce(bool_or(organization_id::text = $1), false) AS inside FROM up`,
      [scope, organizationId],
    );
    return rows[0]?.inside ?? false;
  }

  async memberOrganization(memberId: string): Promise<string | null | undefined> {
    const { rows } = await this.pool.query<{ organization_id: string | null }>(
      `SELECT organization_id FROM command_side.memberships WHERE member_id::text = $1`,
      [memberId],
    );
    return rows[0] ? rows[0].organization_id : undefined;
  }

  async unitOrganizations(unitId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ org_id: string }>(
      `SELECT org_id FROM reporting.organization_units WHERE unit_id::text = $1 AND valid @> $2::date`,
      [unitId, businessToday()],
    );
    return rows.map((row) => row.org_id);
  }

  async transferTarget(database: RegistryDatabase, memberId: string, transferId: string): Promise<string | undefined> {
    const events = await database.eventStore.readStream(`member-${memberId.toLowerCase()}`);
    const initiated = events.find(
      (e) => e.type === 'TransferInitiated' && e.data.transferId === transferId.toLowerCase(),
    );
    const to = initiated?.data.to as { orgId?: string } | undefined;
    return to?.orgId;
  }
}

type Requirement =
  | { readonly all: readonly (string | null | undefined)[] }
  | { readonly any: readonly (string | null | undefined)[] }
  | 'free'
  | 'deny';

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Organisation-subtree authorisation: a token with a `scope` may command and read only inside
 * that organisation's subtree as it stands now. Everything else is 403 before any handler runs,
 * so nothing is written. Reports over many organisations filter to the subtree in their handler.
 */
@Injectable()
export class ScopeGuard implements CanActivate {
  constructor(
    @Inject(OrganizationScope) private readonly scopes: OrganizationScope,
    @Inject(REGISTRY_DATABASE) private readonly database: RegistryDatabase,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const scope = scopeOf(request.principal);
    if (!scope) return true;
    const requirement = await this.requirement(request);
    if (requirement === 'free') return true;
    if (requirement !== 'deny') {
      const ids = 'all' in requirement ? requirement.all : requirement.any;
      const inside = await Promise.all(
        ids.map((id) => (id ? this.scopes.contains(scope, id) : Promise.resolve(false))),
      );
      if ('all' in requirement ? inside.every(Boolean) : inside.some(Boolean)) return true;
    }
    throw Problem.of(
      403,
      'outside-scope',
      'Forbidden',
      `this token acts only inside the subtree of organisation ${scope}`,
    );
  }

  private async requirement(request: Request): Promise<Requirement> {
    const route = (request.route as { path?: string } | undefined)?.path ?? '';
    const params = request.params as Record<string, string | undefined>;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const query = request.query as Record<string, unknown>;
    const key = `${request.method} ${route}`;
    if (key === 'POST /v1/units') return 'free';
    if (route.startsWith('/v1/units/:id')) {
      const organizations = await this.scopes.unitOrganizations(params.id ?? '');
      return organizations.length === 0 ? 'free' : { any: organizations };
    }
    if (key === 'POST /v1/organizations') return str(body.parentId) ? { all: [str(body.parentId)] } : 'deny';
    if (key === 'POST /v1/organizations/:id/reparent') return { all: [params.id, str(body.parentId)] };
    if (route.startsWith('/v1/organizations/:id')) return { all: [params.id] };
    if (key === 'POST /v1/members') return { all: [str(body.orgId)] };
    if (route.startsWith('/v1/members/:id')) {
      const home = await this.scopes.memberOrganization(params.id ?? '');
      if (home === undefined) return 'free'; // unknown member: the handler answers 404
      if (/\/transfers\/:transferId\/(accept|reject)$/.test(route)) {
        return {
          any: [home, await this.scopes.transferTarget(this.database, params.id ?? '', params.transferId ?? '')],
        };
      }
      return { all: [home] };
    }
    if (key === 'GET /v1/reports/dues') return { all: [str(query.orgId)] };
    if (key === 'GET /v1/reports/flowing') return str(query.hostOrgId) ? { all: [str(query.hostOrgId)] } : 'deny';
    if (key === 'GET /v1/reports/transfers' || key === 'GET /v1/reports/dues-arrears') return 'free';
    return 'deny';
  }
}
