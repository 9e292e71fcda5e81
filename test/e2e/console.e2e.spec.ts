import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { seedDemo, type DemoSummary } from '../../apps/cli/src/demo/seed-demo';
import { consoleLink } from '../../apps/cli/src/commands/console.command';
import { businessToday } from '../../apps/registry-api/src/http/validation';
import { call, type RegistryServer, startRegistryServer } from '../support/registry-server';

// The console in a real Chromium (Debian's, never a downloaded one) against the demo data set:
// log in, the tree on two dates, a member's timeline, an overdue letter, stopping and retrying a
// projection. Each page's screenshot is kept under var/test-output/console.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '../../var/test-output/console');
const ROOT = join(__dirname, '../..');

const chromiumFound = existsSync(CHROMIUM);
if (!chromiumFound && !process.env.CI) {
  console.warn(
    `[test] the console's browser tests are SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium fonts-noto-cjk, or set CHROMIUM_PATH); in CI they fail instead`,
  );
}
// In CI a missing browser is a failure, not a skip: .ci/run installs it.
const describeInBrowser = chromiumFound || process.env.CI ? describe : describe.skip;

/** What `npm run build:console` does, with this Node. */
function buildConsole(): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'apps/console/tsconfig.json'], {
    cwd: ROOT,
  });
  cpSync(join(ROOT, 'apps/console/public'), join(ROOT, 'dist/console'), { recursive: true });
}

describeInBrowser('the console in Chromium', () => {
  let server: RegistryServer;
  let summary: DemoSummary;
  let admin: string;
  let browser: Browser;
  let page: Page;
  const today = businessToday();
  const api = async (path: string) => {
    const reply = await call(server, 'GET', path, { token: admin });
    expect({ path, status: reply.status }).toEqual({ path, status: 200 });
    return reply.body;
  };
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const open = async (hash: string) => {
    await page.goto(`${server.url}/console/${hash}`);
  };

  beforeAll(async () => {
    if (!chromiumFound) throw new Error(`no Chromium at ${CHROMIUM}: .ci/run installs Debian's chromium`);
    buildConsole();
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startRegistryServer();
    admin = server.token('admin');
    summary = await seedDemo(
      {
        post: (path: string, body: unknown) => call(server, 'POST', path, { body, token: admin }),
        get: (path: string) => call(server, 'GET', path, { token: admin }),
      },
      today,
    );
    // Every read model has the whole demo before the browser asks.
    await api(`/v1/organizations?minPosition=${summary.lastPosition}`);
    await api(`/v1/reports/transfers?status=overdue&minPosition=${summary.lastPosition}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('logs in with a pasted token, and from the link `cli console` prints without keeping the token in the address', async () => {
    await open('');
    await page.waitForSelector('#token');
    await shot('login');
    await page.fill('#token', 'not-a-token');
    await page.click('button[type=submit]');
    await expect(page.locator('.login .error').textContent()).resolves.toContain('not a JWT');
    await page.fill('#token', admin);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-tree] li[data-org-id]');
    await page.click('[data-action=logout]');
    await page.waitForSelector('#token');

    const link = consoleLink(server.url, admin);
    expect(link).toMatch(/\/console\/#token=[\w-]+\.[\w-]+\.[\w-]+$/);
    await page.goto(link);
    await page.waitForSelector('[data-tree] li[data-org-id]');
    expect(page.url()).toBe(`${server.url}/console/#/tree`);
    await expect(page.locator('#who').textContent()).resolves.toContain('admin');
  });

  it('shows the tree as of two dates, with the subtree counts of each date', async () => {
    const longwen = summary.ids.longwen;
    const earlier = '2024-01-01';
    const countsOn = async (asOf: string) =>
      ((await api(`/v1/organizations/${longwen}?asOf=${asOf}`)) as { counts: { members: number } }).counts.members;
    const [then, now] = [await countsOn(earlier), await countsOn(today)];
    expect(then).not.toBe(now); // the demo's branch grew in between: otherwise this test would prove nothing

    const shown = async (asOf: string) => {
      await open(`#/tree?asOf=${asOf}`);
      const node = page.locator(`li[data-org-id="${longwen}"] > .node .counts`);
      await node.waitFor();
      return Number(await node.getAttribute('data-members'));
    };
    expect(await shown(earlier)).toBe(then);
    await shot('tree-2024-01-01');
    expect(await shown(today)).toBe(now);
    await shot('tree-today');

    await page.fill('input[name=search]', '党委');
    await page.click('form.controls button[type=submit]');
    await page.waitForSelector('.node.hit');
    await expect(page.locator('[data-status]').textContent()).resolves.toMatch(/匹配 [1-9]\d* 个组织/);

    await open(`#/org/${longwen}?asOf=${today}`);
    await page.waitForSelector('[data-chart=members-by-month] svg rect');
    await expect(page.locator('h1').textContent()).resolves.toContain('龙文区');
    await shot('organization');
  });

  it('shows an overdue letter, follows its member to the timeline, and downloads the report as CSV', async () => {
    const overdue = (await api('/v1/reports/transfers?status=overdue')) as {
      transfers: { memberId: string; letterNo: string; daysOverdue: number }[];
    };
    const letter = overdue.transfers[0]!;
    await open('#/reports/transfers');
    const row = page.locator('tbody tr', { hasText: letter.letterNo });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(String(letter.daysOverdue));
    await shot('report-overdue-transfers');

    const download = page.waitForEvent('download');
    await page.click('[data-csv=transfers]');
    const csv = readFileSync(await (await download).path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('\ufeffmemberId,fromOrgId,to,letterNo,effectiveOn,validUntil,daysOverdue');
    expect(csv).toContain(letter.letterNo);

    await row.locator('a').first().click();
    await page.waitForSelector(`[data-member="${letter.memberId}"]`);
    const history = (await api(`/v1/members/${letter.memberId}/history`)) as { events: { type: string }[] };
    await expect(page.locator('[data-timeline] tbody tr').count()).resolves.toBe(history.events.length);
    await expect(page.locator('[data-timeline] tbody').textContent()).resolves.toContain('TransferInitiated');
    await expect(page.locator('[data-personal]').count()).resolves.toBe(1); // admin may see personal fields
    await shot('member-timeline');
  });

  it('shows coverage as a table and a chart, with numerators and denominators', async () => {
    const coverage = (await api(`/v1/coverage?groupBy=region&asOf=${today}`)) as {
      rows: { label: string; units: number; singleCovered: number; jointCovered: number }[];
    };
    await open(`#/coverage?groupBy=region&asOf=${today}`);
    await page.waitForSelector('[data-chart=coverage] svg rect');
    for (const row of coverage.rows) {
      const line = page.locator('tbody tr', { hasText: row.label });
      await expect(line.textContent()).resolves.toContain(`(${row.singleCovered + row.jointCovered}/${row.units})`);
    }
    await shot('coverage');
  });

  it('shows the subtree reports over the organisation chosen, as the API answers them', async () => {
    const longwen = summary.ids.longwen;
    const ratings = (await api(`/v1/reports/ratings?orgId=${longwen}`)) as { byStars: unknown[] };
    await open(`#/reports/ratings?orgId=${longwen}`);
    await page.locator('select[name=orgId]').waitFor();
    await expect(page.locator('select[name=orgId]').inputValue()).resolves.toBe(longwen);
    await page.locator('p.muted', { hasText: `${ratings.byStars.length} 行 rows` }).waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(ratings.byStars.length);
    await shot('report-ratings');
  });

  it('stops a projection from the operations page, retries it, rebuilds another and verifies the log', async () => {
    await open('#/ops');
    await page.waitForSelector('[data-action=stop-coverage]');
    await page.fill('input[name=reason-coverage]', 'checking the console');
    await page.click('[data-action=stop-coverage]');
    await page.waitForSelector('[data-action=retry-coverage]');
    const stopped = (await api('/v1/admin/projections')) as {
      projections: { name: string; status: string; stopReason: string | null }[];
    };
    expect(stopped.projections.find((p) => p.name === 'coverage')).toMatchObject({
      status: 'stopped',
      stopReason: 'stopped by admin-tester: checking the console',
    });
    await expect(page.locator('[data-projections]').textContent()).resolves.toContain('checking the console');
    await shot('operations-stopped');

    await page.click('[data-action=retry-coverage]');
    await page.waitForSelector('[data-action=stop-coverage]');
    const resumed = (await api('/v1/admin/projections')) as { projections: { name: string; status: string }[] };
    expect(resumed.projections.find((p) => p.name === 'coverage')?.status).toBe('running');

    await page.click('[data-action=rebuild-flowing]');
    await page.waitForSelector('[data-rebuild-state=done]', { timeout: 30_000 });
    await expect(page.locator('[data-rebuilds]').textContent()).resolves.toMatch(/generation \d+ live/);

    await page.click('[data-action=verify]');
    await page.waitForSelector('[data-verified=ok]');

    await shot('operations');
  });

  it('is usable at a phone width: nothing wider than the screen but the tables, which scroll', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await phone.goto(consoleLink(server.url, admin));
      await phone.waitForSelector('[data-tree] li[data-org-id]');
      const overflow = Number(await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
      expect(overflow).toBeLessThanOrEqual(0);
      await phone.screenshot({ path: join(SCREENSHOTS, 'phone-tree.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });
});
