import type { OrganizationVersion } from '../model/organization-facts';
import { type Db, NotInReadModel } from '../queries/reporting';

export interface OrganizationCounts {
  readonly members: number;
  readonly full: number;
  readonly probationary: number;
  readonly flowingIn: number;
  readonly flowingOut: number;
}

export interface TreeNode {
  readonly id: string;
  readonly name: string;
  readonly level: string;
  readonly form: string;
  readonly regionCode: string;
  /** Subtree totals (the organisation and everything below it). */
  readonly counts: OrganizationCounts;
  /** The organisation's own members and hosted flowing members. */
  readonly ownCounts: OrganizationCounts;
  readonly children: TreeNode[];
}

const add = (a: OrganizationCounts, b: OrganizationCounts): OrganizationCounts => ({
  members: a.members + b.members,
  full: a.full + b.full,
  probationary: a.probationary + b.probationary,
  flowingIn: a.flowingIn + b.flowingIn,
  flowingOut: a.flowingOut + b.flowingOut,
});

/** Trees built lately, per pool: an answer depends only on its arguments and the state of the read model. */
const builtTrees = new WeakMap<object, Map<string, TreeNode>>();
const TREES_KEPT = 32;

/**
 * The subtree under `rootId` as it stood on `asOf`, with subtree totals. The same question asked
 * again before the hierarchy has applied anything more gets the tree built the first time (frozen):
 * the live generation and its checkpoint are part of the key, so any applied event, retroactive or
 * not, and any rebuild make it a new question.
 */
export async function organizationTree(db: Db, rootId: string, asOf: string, depth?: number): Promise<TreeNode> {
  const { rows } = await db.query<{ generation: number; position: string }>(
    `SELECT generation, position::text FROM projections.generations WHERE name = 'hierarchy' AND state = 'live'`,
  );
  const live = rows[0];
  if (!live) return buildOrganizationTree(db, rootId, asOf, depth);
  // Read before the tree: the tree then holds at least everything up to this checkpoint.
  const key = `${live.generation}:${live.position}|${rootId}|${asOf}|${depth ?? ''}`;
  let trees = builtTrees.get(db);
  if (!trees) {
    trees = new Map();
    builtTrees.set(db, trees);
  }
  const kept = trees.get(key);
  if (kept) return kept;
  const tree = deepFreeze(await buildOrganizationTree(db, rootId, asOf, depth));
  trees.set(key, tree);
  for (const oldest of trees.keys()) {
    if (trees.size <= TREES_KEPT) break;
    trees.delete(oldest);
  }
  return tree;
}

function deepFreeze(node: TreeNode): TreeNode {
  node.children.forEach(deepFreeze);
  Object.freeze(node.children);
  Object.freeze(node.counts);
  Object.freeze(node.ownCounts);
  return Object.freeze(node);
}

/**
 * One query: the path arrays give the subtree (GIN), the count timelines one row per organisation.
 */
async function buildOrganizationTree(db: Db, rootId: string, asOf: string, depth?: number): Promise<TreeNode> {
  const { rows } = await db.query<{
    org_id: string;
    node: number;
    path: number[];
    name: string;
    level: string;
    form: string;
    region_code: string;
    members: number;
    full_members: number;
    probationary_members: number;
    flowing_in: number;
    flowing_out: number;
  }>(
    // The rows holding on the date come from one range-index scan each and are hash-joined: probing
    // each organisation's count timeline in turn costs a scan of its history per organisation.
    `WITH root AS (SELECT node FROM reporting.organization_paths WHERE org_id = $1 AND valid @> $2::date),
          counts AS MATERIALIZED (SELECT * FROM reporting.organization_counts WHERE valid @> $2::date),
          versions AS MATERIALIZED (SELECT * FROM reporting.organization_versions WHERE valid @> $2::date)
     SELECT p.org_id, p.node, p.path, v.name, v.level, v.form, v.region_code,
            coalesce(c.members, 0) AS members, coalesce(c.full_members, 0) AS full_members,
            coalesce(c.probationary_members, 0) AS probationary_members, coalesce(c.flowing_in, 0) AS flowing_in,
            coalesce(c.flowing_out, 0) AS flowing_out
       FROM root
       JOIN reporting.organization_paths p ON p.path @> ARRAY[root.node] AND p.valid @> $2::date
       JOIN versions v ON v.org_id = p.org_id
       LEFT JOIN counts c ON c.org_id = p.org_id`,
    [rootId, asOf],
  );
  const root = rows.find((row) => row.org_id === rootId);
  if (!root) throw new NotInReadModel(`organisation ${rootId} did not exist on ${asOf}`);
  const rootDepth = root.path.length;
  const nodes = new Map<
    number,
    { node: TreeNode & { counts: OrganizationCounts }; parent: number | undefined; depth: number }
  >();
  for (const row of rows) {
    const own: OrganizationCounts = {
      members: row.members,
      full: row.full_members,
      probationary: row.probationary_members,
      flowingIn: row.flowing_in,
      flowingOut: row.flowing_out,
    };
    nodes.set(row.node, {
      node: {
        id: row.org_id,
        name: row.name,
        level: row.level,
        form: row.form,
        regionCode: row.region_code,
        counts: own,
        ownCounts: own,
        children: [],
      },
      parent: row.org_id === rootId ? undefined : row.path[row.path.length - 2],
      depth: row.path.length - rootDepth,
    });
  }
  const deepestFirst = [...nodes.values()].sort((a, b) => b.depth - a.depth);
  for (const entry of deepestFirst) {
    const parent = entry.parent === undefined ? undefined : nodes.get(entry.parent);
    if (!parent) continue;
    parent.node.counts = add(parent.node.counts, entry.node.counts);
    if (depth === undefined || entry.depth <= depth) parent.node.children.push(entry.node);
  }
  const sortTree = (node: TreeNode): void => {
    node.children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    node.children.forEach(sortTree);
  };
  const top = nodes.get(root.node);
  if (!top) throw new Error(`organisation ${rootId}: its own row is missing from its subtree on ${asOf}`);
  sortTree(top.node);
  return top.node;
}

export interface OrganizationView extends OrganizationVersion {
  readonly id: string;
  readonly asOf: string;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly unitIds: string[];
  readonly counts: OrganizationCounts;
  readonly ownCounts: OrganizationCounts;
  readonly childCount: number;
}

export async function organizationAsOf(db: Db, id: string, asOf: string): Promise<OrganizationView> {
  const { rows } = await db.query<{
    name: string;
    level: string;
    form: string;
    region_code: string;
    parent_id: string | null;
    secretary_id: string | null;
    valid_from: string;
    valid_to: string | null;
  }>(
    `SELECT name, level, form, region_code, parent_id, secretary_id, valid_from::text AS valid_from, valid_to::text AS valid_to
       FROM reporting.organization_versions WHERE org_id = $1 AND valid @> $2::date`,
    [id, asOf],
  );
  const version = rows[0];
  if (!version) throw new NotInReadModel(`organisation ${id} did not exist on ${asOf}`);
  const units = await db.query<{ unit_id: string }>(
    'SELECT unit_id FROM reporting.organization_units WHERE org_id = $1 AND valid @> $2::date ORDER BY unit_id',
    [id, asOf],
  );
  const tree = await organizationTree(db, id, asOf, 1);
  return {
    id,
    asOf,
    name: version.name,
    level: version.level,
    form: version.form,
    regionCode: version.region_code,
    parentId: version.parent_id,
    secretaryId: version.secretary_id,
    validFrom: version.valid_from,
    validTo: version.valid_to,
    unitIds: units.rows.map((row) => row.unit_id),
    counts: tree.counts,
    ownCounts: tree.ownCounts,
    childCount: tree.children.length,
  };
}

/** Organisations at the top of the hierarchy on a date. */
export async function rootsOn(db: Db, date: string): Promise<string[]> {
  const { rows } = await db.query<{ org_id: string }>(
    `SELECT p.org_id FROM reporting.organization_paths p JOIN reporting.organization_versions v ON v.org_id = p.org_id AND v.valid @> $1::date
      WHERE p.valid @> $1::date AND cardinality(p.path) = 1 ORDER BY v.name`,
    [date],
  );
  return rows.map((row) => row.org_id);
}
