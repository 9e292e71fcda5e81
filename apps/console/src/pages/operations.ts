import { api, authHeaders } from '../api.js';
import { h, table } from '../dom.js';
import { failure, guarded } from '../nav.js';

interface Failure {
  readonly position: string;
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly streamId: string | null;
  readonly error: string;
  readonly at: string;
}
interface Projection {
  readonly name: string;
  readonly version: number;
  readonly generation: number;
  readonly status: 'running' | 'stopped';
  readonly position: string;
  readonly eventsApplied: string;
  readonly lagEvents: number | null;
  readonly lagSeconds: number;
  readonly failure: Failure | null;
  readonly stopReason: string | null;
  readonly building: { generation: number; position: string } | null;
}
interface Relay {
  readonly name: string;
  readonly status: 'running' | 'stopped';
  readonly position: string;
  readonly published: number;
  readonly failure: Failure | null;
  readonly updatedAt: string;
}
interface RebuildJob {
  readonly projection: string;
  readonly state: 'running' | 'done' | 'failed';
  readonly startedAt: string;
  readonly startedBy: string;
  readonly applied: number;
  readonly total: number | null;
  readonly eventsPerSecond: number;
  readonly etaSeconds: number | null;
  readonly generation: number | null;
  readonly error: string | null;
}
interface VerifyReport {
  readonly ok: boolean;
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  readonly brokenLinks: readonly { streamId: string; streamVersion: number; position?: string; reason: string }[];
}

const statusBadge = (status: string): HTMLElement =>
  h('span', { className: `badge ${status}` }, status === 'running' ? '运行中 running' : '已停止 stopped');

function stopped(failure: Failure | null, reason: string | null): HTMLElement | string {
  if (failure)
    return h(
      'span',
      {},
      `停在 position ${failure.position}（${failure.eventType ?? '?'} in ${failure.streamId ?? '?'}）: `,
      h('code', {}, failure.error),
    );
  return reason ?? '';
}

/** 运维 Operations (admin): projections and relays, their stops and actions, verify, a live tail of the feed. */
export async function operationsPage(root: HTMLElement): Promise<() => void> {
  const projections = h('div', { 'data-projections': '' });
  const relays = h('div', {});
  const rebuilds = h('div', { 'data-rebuilds': '' });
  const verifyResult = h('div', { 'data-verify': '' });
  const tail = h('div', { className: 'tail', 'data-tail': '' });
  const message = h('div', { role: 'status' });
  let tailing: AbortController | undefined;

  const act = async (path: string, body?: unknown): Promise<void> => {
    message.replaceChildren();
    try {
      await api(path, { method: 'POST', body });
    } catch (error) {
      message.replaceChildren(failure(error));
    }
    await refresh();
  };

  const refresh = async (): Promise<void> => {
    // Someone typing a reason keeps their input: the table waits for the next tick.
    if (projections.contains(document.activeElement) && document.activeElement instanceof HTMLInputElement) return;
    await guarded(projections, async () => {
      const { projections: list } = await api<{ projections: Projection[] }>('/v1/admin/projections');
      projections.replaceChildren(
        table(
          [
            ['读模型', 'name'],
            ['状态', 'status'],
            ['位置', 'position', 'num'],
            ['已应用', 'eventsApplied', 'num'],
            ['滞后', 'lag', 'num'],
            ['停止原因', 'stop'],
            ['操作', 'actions'],
          ],
          list.map((p) => {
            const reason = h('input', { name: `reason-${p.name}`, placeholder: '原因 reason', size: 14 });
            return [
              h(
                'span',
                { 'data-projection': p.name },
                p.name,
                h('small', { className: 'muted' }, ` v${p.version} g${p.generation}`),
                p.building
                  ? h(
                      'span',
                      { className: 'badge' },
                      `重建中 rebuilding g${p.building.generation} @ ${p.building.position}`,
                    )
                  : null,
              ),
              statusBadge(p.status),
              p.position,
              p.eventsApplied,
              `${p.lagEvents ?? '?'} 条 / ${p.lagSeconds.toFixed(1)} s`,
              stopped(p.failure, p.stopReason),
              p.status === 'running'
                ? h(
                    'span',
                    {},
                    reason,
                    ' ',
                    h(
                      'button',
                      {
                        type: 'button',
                        className: 'danger',
                        'data-action': `stop-${p.name}`,
                        onclick: () =>
                          void act(`/v1/admin/projections/${p.name}/stop`, {
                            reason: reason.value.trim() || '控制台暂停 paused from the console',
                          }),
                      },
                      '停止 Stop',
                    ),
                    ' ',
                    h(
                      'button',
                      {
                        type: 'button',
                        'data-action': `rebuild-${p.name}`,
                        onclick: () => void act(`/v1/admin/projections/${p.name}/rebuild`),
                      },
                      '重建 Rebuild',
                    ),
                  )
                : h(
                    'span',
                    {},
                    h(
                      'button',
                      {
                        type: 'button',
                        className: 'primary',
                        'data-action': `retry-${p.name}`,
                        onclick: () => void act(`/v1/admin/projections/${p.name}/retry`),
                      },
                      '重试 Retry',
                    ),
                    p.failure
                      ? h(
                          'button',
                          {
                            type: 'button',
                            'data-action': `skip-${p.name}`,
                            onclick: () => {
                              if (
                                confirm(
                                  `跳过 position ${p.failure?.position} 的事件？Skip this one event for ${p.name}?`,
                                )
                              )
                                void act(`/v1/admin/projections/${p.name}/skip`, { position: p.failure?.position });
                            },
                          },
                          '跳过 Skip',
                        )
                      : null,
                  ),
            ];
          }),
        ),
      );
    });
    await guarded(rebuilds, async () => {
      const { rebuilds: list } = await api<{ rebuilds: RebuildJob[] }>('/v1/admin/rebuilds');
      rebuilds.replaceChildren(
        list.length === 0
          ? h('p', { className: 'muted' }, '尚无重建 No rebuild started from here yet')
          : table(
              [
                ['读模型', 'projection'],
                ['状态', 'state'],
                ['进度', 'progress'],
                ['速度', 'events/s', 'num'],
                ['发起', 'startedBy'],
                ['结果', 'outcome'],
              ],
              list.map((job) => {
                const total = Math.max(job.total ?? job.applied, job.applied, 1);
                return [
                  job.projection,
                  h(
                    'span',
                    {
                      className: `badge ${job.state === 'failed' ? 'stopped' : 'running'}`,
                      'data-rebuild-state': job.state,
                    },
                    job.state,
                  ),
                  h(
                    'span',
                    {},
                    h('progress', { value: job.state === 'done' ? total : job.applied, max: total }),
                    job.state === 'running' ? ` ${job.applied} / ${job.total ?? '?'}` : ` ${job.applied} 个事件 events`,
                    job.etaSeconds === null || job.state !== 'running' ? '' : ` · ETA ${Math.ceil(job.etaSeconds)} s`,
                  ),
                  job.eventsPerSecond,
                  `${job.startedBy} · ${new Date(job.startedAt).toLocaleTimeString('zh-CN', { hour12: false })}`,
                  job.state === 'done'
                    ? `第 ${job.generation} 代已上线 generation ${job.generation} live`
                    : (job.error ?? ''),
                ];
              }),
            ),
      );
    });
    await guarded(relays, async () => {
      const { relays: list } = await api<{ relays: Relay[] }>('/v1/admin/relays');
      relays.replaceChildren(
        list.length === 0
          ? h(
              'p',
              { className: 'muted' },
              '没有中继运行过（设置 KAFKA_BROKERS 后启动）No relay has run against this database',
            )
          : table(
              [
                ['中继', 'name'],
                ['状态', 'status'],
                ['位置', 'position', 'num'],
                ['已发布', 'published', 'num'],
                ['停止原因', 'failure'],
                ['操作', 'actions'],
              ],
              list.map((r) => [
                r.name,
                statusBadge(r.status),
                r.position,
                r.published,
                stopped(r.failure, null),
                r.failure
                  ? h(
                      'span',
                      {},
                      h(
                        'button',
                        {
                          type: 'button',
                          className: 'primary',
                          onclick: () => void act(`/v1/admin/relays/${r.name}/retry`),
                        },
                        '重试 Retry',
                      ),
                      h(
                        'button',
                        {
                          type: 'button',
                          onclick: () => void act(`/v1/admin/relays/${r.name}/skip`, { position: r.failure?.position }),
                        },
                        '跳过 Skip',
                      ),
                    )
                  : '',
              ]),
            ),
      );
    });
  };

  const verify = async (): Promise<void> => {
    verifyResult.replaceChildren(h('p', { className: 'muted' }, '校验中… verifying every hash chain…'));
    await guarded(verifyResult, async () => {
      const report = await api<VerifyReport>('/v1/admin/verify', { method: 'POST' });
      verifyResult.replaceChildren(
        report.ok
          ? h(
              'p',
              { className: 'ok', 'data-verified': 'ok' },
              `完整 intact: ${report.eventsChecked} 个事件，${report.streamsChecked} 个流，哈希链全部完好 — every chain intact`,
            )
          : h(
              'div',
              { 'data-verified': 'tampered' },
              h('p', { className: 'error' }, `被篡改 TAMPERED: ${report.brokenLinks.length} 个流断链 broken stream(s)`),
              table(
                [
                  ['流', 'streamId'],
                  ['版本', 'streamVersion', 'num'],
                  ['位置', 'position', 'num'],
                  ['原因', 'reason'],
                ],
                report.brokenLinks.map((link) => [
                  link.streamId,
                  link.streamVersion,
                  link.position ?? '—',
                  link.reason,
                ]),
              ),
            ),
      );
    });
  };

  const startTail = async (): Promise<void> => {
    tailing?.abort();
    const controller = new AbortController();
    tailing = controller;
    tail.replaceChildren(h('div', {}, '连接中… connecting to /v1/events/stream'));
    try {
      const response = await fetch('/v1/events/stream', {
        headers: { Accept: 'text/event-stream', ...authHeaders() },
        signal: controller.signal,
      });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      tail.replaceChildren(h('div', {}, '已连接 connected: new events appear below'));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (.*)$/m.exec(frame)?.[1];
          const type = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (!id || !data) continue;
          const event = JSON.parse(data) as { subject?: string; time?: string };
          tail.append(
            h('div', { 'data-event': id }, `${id}  ${event.time ?? ''}  ${type ?? ''}  ${event.subject ?? ''}`),
          );
          while (tail.childElementCount > 200) tail.firstElementChild?.remove();
          tail.scrollTop = tail.scrollHeight;
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) tail.append(failure(error));
    }
  };

  root.replaceChildren(
    h('h1', {}, '运维 ', h('small', { className: 'muted' }, 'Operations')),
    message,
    h('h2', {}, '读模型 ', h('small', { className: 'muted' }, 'Projections (refreshed every 2 s)')),
    projections,
    h('h2', {}, '重建 ', h('small', { className: 'muted' }, 'Rebuilds (blue/green: the live tables answer meanwhile)')),
    rebuilds,
    h('h2', {}, '消息中继 ', h('small', { className: 'muted' }, 'Kafka relays')),
    relays,
    h('h2', {}, '防篡改校验 ', h('small', { className: 'muted' }, 'Verify the hash chains')),
    h(
      'p',
      {},
      h(
        'button',
        { type: 'button', className: 'primary', 'data-action': 'verify', onclick: () => void verify() },
        '校验 Verify',
      ),
    ),
    verifyResult,
    h('h2', {}, '实时事件 ', h('small', { className: 'muted' }, 'Live tail of the event feed (SSE)')),
    h(
      'p',
      {},
      h('button', { type: 'button', 'data-action': 'tail', onclick: () => void startTail() }, '开始 Start'),
      ' ',
      h('button', { type: 'button', onclick: () => tailing?.abort() }, '停止 Stop'),
    ),
    tail,
  );
  await refresh();
  const timer = setInterval(() => void refresh(), 2000);
  return () => {
    clearInterval(timer);
    tailing?.abort();
  };
}
