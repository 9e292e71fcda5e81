import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Pool } from 'pg';
import { REGISTRY_DATABASE, type RegistryDatabase, type Principal } from '@registry/runtime';
import { Problem } from '../problems/problem-details.filter';
import { businessToday, isUuid } from './validation';

/** The organisation a token is confined to, if any (admins never are). */
export function scopeOf(principal: Principal | undefined): string | undefined {
  if (!principal?.scope || principal.roles.includes('admin')) return undefined;
  return principal.scope;
}

/**
 * An id from the request as the tables store it, or undefined when it is no UUID: such an id names nothing, and
 * must not reach PostgreSQL (a U+0000 in it fails the query) or escape the scope by its letter case.
 */
const storedId = (id: string): string | undefined => (isUuid(id) ? id.toLowerCase() : undefined);

/**
 * Organisation subtrees as they stand now, from the command side's lookup tables (written in the
 * same transactions as the events, so they never lag behind a command that was answered).
 */
@Injectable()
export class OrganizationScope {
  private readonly pool: Pool;

  constructor(@Inject(REGISTRY_DATABASE) private readonly database: RegistryDatabase) {
    this.pool = database.pool;
  }

  async contains(scope: string, organizationId: string): Promise<boolean> {
    const id = storedId(organizationId);
    if (id === undefined) return false;
    const { rows } = await this.pool.query<{ inside: boolean }>(
      `WITH RECURSIVE up(organization_id, parent_id, depth) AS (
         SELECT organization_id, parent_id, 0 FROM command_side.organizations WHERE organization_id::text = $2
         UNION ALL
         SELECT o.organization_id, o.parent_id, up.depth + 1 FROM command_side.organizations o JOIN up ON o.organization_id = up.parent_id
          WHERE up.depth < 64)
       SELECT coalesce(bool_or(organization_id::text = $1), false) AS inside FROM up`,
      [scope, id],
    );
    return rows[0]?.inside ?? false;
  }

  async memberOrganization(memberId: string): Promise<string | null | undefined> {
    const id = storedId(memberId);
    if (id === undefined) return undefined;
    const { rows } = await this.pool.query<{ organization_id: string | null }>(
      `SELECT organization_id FROM command_side.memberships WHERE member_id::text = $1`,
      [id],
    );
    return rows[0] ? rows[0].organization_id : undefined;
  }

  async unitOrganizations(unitId: string): Promise<string[]> {
    const id = storedId(unitId);
    if (id === undefined) return [];
    const { rows } = await this.pool.query<{ org_id: string }>(
      `SELECT org_id FROM reporting.organization_units WHERE unit_id::text = $1 AND valid @> $2::date`,
      [id, businessToday()],
    );
    return rows.map((row) => row.org_id);
  }

  /** Where a member's transfer goes: an organisation, a party outside the registry, or unknown. */
  async transferTarget(memberId: string, transferId: string): Promise<{ orgId: string } | 'external' | undefined> {
    const id = storedId(memberId);
    if (id === undefined) return undefined;
    const events = await this.database.eventStore.readStream(`member-${id}`);
    const initiated = events.find(
      (e) => e.type === 'TransferInitiated' && e.data.transferId === transferId.toLowerCase(),
    );
    if (!initiated) return undefined;
    const to = initiated.data.to as { orgId?: unknown } | undefined;
    return typeof to?.orgId === 'string' ? { orgId: to.orgId } : 'external';
  }

  /** The host organisation of an inflowing member, from the registration (never changed afterwards). */
  async inflowHost(inflowingMemberId: string): Promise<string | undefined> {
    const id = storedId(inflowingMemberId);
    if (id === undefined) return undefined;
    const events = await this.database.eventStore.readStream(`inflow-${id}`);
    const hostOrgId = events.find((e) => e.type === 'InflowingMemberRegistered')?.data.hostOrgId;
    return typeof hostOrgId === 'string' ? hostOrgId : undefined;
  }

  /** The organisation an application was made to (it never changes), undefined for an unknown applicant. */
  async applicantOrganization(applicantId: string): Promise<string | undefined> {
    const id = storedId(applicantId);
    if (id === undefined) return undefined;
    const events = await this.database.eventStore.readStream(`applicant-${id}`);
    const orgId = events.find((e) => e.type === 'ApplicationSubmitted')?.data.orgId;
    return typeof orgId === 'string' ? orgId : undefined;
  }

  /** A grid's lead organisation (never changed after establishment), undefined for an unknown grid. */
  async gridLead(gridId: string): Promise<string | undefined> {
    const id = storedId(gridId);
    if (id === undefined) return undefined;
    const events = await this.database.eventStore.readStream(`grid-${id}`);
    const leadOrgId = events.find((e) => e.type === 'GridEstablished')?.data.leadOrgId;
    return typeof leadOrgId === 'string' ? leadOrgId : undefined;
  }

  /** A unit's region from its registration (never changed afterwards), undefined for an unknown unit. */
  async unitRegion(unitId: string): Promise<string | undefined> {
    const id = storedId(unitId);
    if (id === undefined) return undefined;
    const events = await this.database.eventStore.readStream(`unit-${id}`);
    const registered = events.find((e) => e.type === 'UnitRegistered');
    const regionCode = registered?.data.regionCode;
    return typeof regionCode === 'string' ? regionCode : undefined;
  }

  async organizationRegion(organizationId: string): Promise<string | undefined> {
    const id = storedId(organizationId);
    if (id === undefined) return undefined;
    const { rows } = await this.pool.query<{ region_code: string | null }>(
      `SELECT region_code FROM command_side.organizations WHERE organization_id::text = $1`,
      [id],
    );
    return rows[0]?.region_code ?? undefined;
  }
}

/**
 * Whether a GB/T 2260 region lies inside an organisation's region: a province (`PP0000`) holds
 * `PP****`, a city (`PPCC00`) holds `PPCC**`, a county holds only itself.
 */
export function regionWithin(regionCode: string, organizationRegion: string): boolean {
  if (!/^\d{6}$/.test(regionCode) || !/^\d{6}$/.test(organizationRegion)) return false;
  if (organizationRegion.endsWith('0000')) return regionCode.startsWith(organizationRegion.slice(0, 2));
  if (organizationRegion.endsWith('00')) return regionCode.startsWith(organizationRegion.slice(0, 4));
  return regionCode === organizationRegion;
}

type Requirement =
  | { readonly all: readonly (string | null | undefined)[] }
  | { readonly any: readonly (string | null | undefined)[] }
  | { readonly region: string }
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
  constructor(@Inject(OrganizationScope) private readonly scopes: OrganizationScope) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const scope = scopeOf(request.principal);
    if (!scope) return true;
    const requirement = await this.requirement(request);
    if (requirement === 'free') return true;
    if (typeof requirement === 'object' && 'region' in requirement) {
      const scopeRegion = await this.scopes.organizationRegion(scope);
      if (scopeRegion && regionWithin(requirement.region, scopeRegion)) return true;
    } else if (requirement !== 'deny') {
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
      if (organizations.length > 0) return { any: organizations };
      // No organisation covers the unit: its region decides.
      const region = await this.scopes.unitRegion(params.id ?? '');
      return region === undefined ? 'free' : { region }; // unknown unit: the handler answers 404
    }
    // The roots answer a scoped token with its own organisation and nothing else (the handler's).
    if (key === 'GET /v1/organizations') return 'free';
    if (key === 'POST /v1/organizations') return str(body.parentId) ? { all: [str(body.parentId)] } : 'deny';
    if (key === 'POST /v1/organizations/:id/reparent') return { all: [params.id, str(body.parentId)] };
    if (route.startsWith('/v1/organizations/:id')) return { all: [params.id] };
    if (key === 'POST /v1/members') return { all: [str(body.orgId)] };
    if (key === 'POST /v1/inflowing-members') return { all: [str(body.hostOrgId)] };
    if (route.startsWith('/v1/inflowing-members/:id')) {
      const host = await this.scopes.inflowHost(params.id ?? '');
      return host === undefined ? 'free' : { all: [host] }; // unknown: the handler answers 404
    }
    if (key === 'POST /v1/applicants') return { all: [str(body.orgId)] };
    // A grid is its lead organisation's work: the lead's subtree manages and reads it.
    if (key === 'POST /v1/grids') return { all: [str(body.leadOrgId)] };
    if (route.startsWith('/v1/grids/:id')) {
      const lead = await this.scopes.gridLead(params.id ?? '');
      return lead === undefined ? 'free' : { all: [lead] }; // unknown grid: the handler answers 404
    }
    if (route.startsWith('/v1/applicants/:id')) {
      const organization = await this.scopes.applicantOrganization(params.id ?? '');
      return organization === undefined ? 'free' : { all: [organization] }; // unknown: the handler answers 404
    }
    if (route.startsWith('/v1/members/:id')) {
      const home = await this.scopes.memberOrganization(params.id ?? '');
      if (home === undefined) return 'free'; // unknown member: the handler answers 404
      // Only the receiving side accepts or rejects; a transfer out of the registry has none, so the sending side does.
      if (/\/transfers\/:transferId\/(accept|reject)$/.test(route)) {
        const target = await this.scopes.transferTarget(params.id ?? '', params.transferId ?? '');
        return typeof target === 'object' ? { all: [target.orgId] } : { all: [home] };
      }
      return { all: [home] };
    }
    if (key === 'GET /v1/reports/dues') return { all: [str(query.orgId)] };
    if (key === 'GET /v1/reports/flowing') return str(query.hostOrgId) ? { all: [str(query.hostOrgId)] } : 'deny';
    if (
      ['development', 'terms', 'ratings', 'appraisals', 'points', 'organizational-life'].some(
        (report) => key === `GET /v1/reports/${report}`,
      )
    )
      return { all: [str(query.orgId)] };
    if (key === 'GET /v1/reports/lost-contact') return str(query.orgId) ? { all: [str(query.orgId)] } : 'deny';
    if (key === 'GET /v1/reports/transfers' || key === 'GET /v1/reports/dues-arrears') return 'free';
    return 'deny';
  }
}
