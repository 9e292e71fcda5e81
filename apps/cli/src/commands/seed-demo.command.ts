import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import type { RegistryConfig } from '@registry/config';
import { businessDateOf } from '@registry/domain';
import { signToken } from '@registry/runtime';
import { seedDemo } from '../demo/seed-demo';
import { CLI_CONFIG } from '../cli-database';

@Command({
  name: 'seed-demo',
  description:
    'write the demo data set (DOMAIN.md "Figures from the seeds") through the public HTTP API of a running registry',
})
export class SeedDemoCommand extends CommandRunner {
  constructor(@Inject(CLI_CONFIG) private readonly config: RegistryConfig) {
    super();
  }

  async run(_: string[], options: { url?: string }): Promise<void> {
    const base = options.url ?? `http://${this.config.HOST}:${this.config.PORT}`;
    const token = signToken(this.config, { sub: 'cli:seed-demo', roles: ['admin'] });
    const request = async (method: string, path: string, body?: unknown) => {
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch {
        throw new Error(`no registry answers at ${base}: start it with \`npm start\` (or pass --url)`);
      }
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    };
    const today = businessDateOf(new Date());
    const summary = await seedDemo(
      { post: (path, body) => request('POST', path, body), get: (path) => request('GET', path) },
      today,
      (n) => process.stderr.write(`seed-demo: ${n} requests\n`),
    );
    if (summary.alreadySeeded) {
      process.stdout.write(
        `the demo data set is already there (group committee ${summary.ids.group}); nothing written\n`,
      );
      return;
    }
    process.stdout.write(
      `seeded through ${summary.requests} requests; last position ${summary.lastPosition}\n` +
        `  tree:     npm run cli -- tree --root ${summary.ids.group}\n` +
        `  flowing:  GET /v1/reports/flowing?hostOrgId=${summary.ids.xingang}\n` +
        `  coverage: npm run cli -- coverage --region-code 310100\n`,
    );
  }

  @Option({
    flags: '--url <url>',
    description: 'the registry\u2019s base URL (default http://HOST:PORT from the configuration)',
  })
  parseUrl(value: string): string {
    return value.replace(/\/$/, '');
  }
}
