import { api, query } from '../api.js';
import { h, table } from '../dom.js';
import { go, guarded } from '../nav.js';

interface HistoryEvent {
  readonly streamVersion: number;
  readonly position: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly effectiveOn: string | null;
  readonly actor: string | null;
  readonly correlationId: string | null;
  readonly data: Record<string, unknown>;
}

interface Member {
  readonly id: string;
  readonly status: string;
  readonly standing: string;
  readonly gender: string;
  readonly joinedOn: string;
  readonly orgId: string | null;
  readonly unitId: string | null;
  readonly personal?: { name: string; idNumber: string; phone?: string; birthDate: string } | { erased: true };
}

export const EVENT_LABELS: Record<string, string> = {
  MemberRegistered: '登记入册',
  MemberConfirmed: '转正',
  MemberEmploymentChanged: '就业变化',
  DuesAssessed: '核定党费',
  DuesPaid: '交纳党费',
  TransferInitiated: '开具组织关系介绍信',
  TransferAccepted: '组织关系转入',
  TransferRejected: '转接被拒',
  TransferCancelled: '转接撤销',
  MemberFlowedOut: '外出流动',
  MemberFlowReturned: '流动返回',
  MemberLostContact: '失去联系',
  MemberContactRestored: '恢复联系',
  MemberLeft: '党籍终止',
  ProbationExtended: '延长预备期',
  ProbationAnnulled: '取消预备党员资格',
  MemberSuspended: '停止党籍',
  MemberReinstated: '恢复党籍',
  MemberAppraised: '民主评议',
  PointsRecorded: '积分',
  PersonalDataForgotten: '个人信息已删除',
};

/** An event is retroactive when it took effect before the day it was recorded. */
export const isRetroactive = (event: Pick<HistoryEvent, 'effectiveOn' | 'recordedAt'>): boolean =>
  event.effectiveOn !== null && event.effectiveOn < event.recordedAt.slice(0, 10);

/** 党员时间线 Member timeline: the events oldest first, effective and recorded dates, the actor. */
export async function memberPage(root: HTMLElement, [id]: string[]): Promise<void> {
  const input = h('input', { name: 'memberId', value: id ?? '', placeholder: 'UUID', size: 38, required: true });
  const body = h('div', { 'data-timeline': '' });
  root.replaceChildren(
    h('h1', {}, '党员时间线 ', h('small', { className: 'muted' }, 'Member timeline')),
    h(
      'form',
      {
        className: 'controls',
        onsubmit: (event: Event) => {
          event.preventDefault();
          go(`#/member/${input.value.trim().toLowerCase()}`);
        },
      },
      h('label', {}, '党员编号 Member id', input),
      h('button', { type: 'submit', className: 'primary' }, '查看 Show'),
    ),
    body,
  );
  if (!id) {
    body.replaceChildren(
      h(
        'p',
        { className: 'muted' },
        '输入党员编号，或从报表中点击党员。Enter an id, or follow a member from a report.',
      ),
    );
    return;
  }
  await guarded(body, async () => {
    const [member, history] = await Promise.all([
      api<Member>(`/v1/members/${encodeURIComponent(id)}`),
      api<{ events: HistoryEvent[] }>(`/v1/members/${encodeURIComponent(id)}/history`),
    ]);
    const personal = member.personal;
    body.replaceChildren(
      h(
        'div',
        { className: 'card', 'data-member': member.id },
        h(
          'p',
          {},
          personal && 'name' in personal
            ? h('strong', { 'data-personal': '' }, personal.name)
            : h(
                'span',
                { className: 'muted' },
                personal
                  ? '个人信息已删除 personal data erased'
                  : '本角色不显示个人信息 personal fields hidden for this role',
              ),
        ),
        personal && 'name' in personal
          ? h(
              'p',
              { className: 'muted' },
              `身份证 ${personal.idNumber} · 出生 ${personal.birthDate}${personal.phone ? ` · 电话 ${personal.phone}` : ''}`,
            )
          : null,
        h(
          'p',
          {},
          `${member.status === 'member' ? '在册' : '已出党'} · ${member.standing === 'full' ? '正式党员' : '预备党员'} · 入党 ${member.joinedOn} · `,
          member.orgId
            ? h('a', { href: `#/org/${member.orgId}` }, `组织 ${member.orgId.slice(0, 8)}`)
            : '组织关系已转出',
        ),
      ),
      h(
        'h2',
        {},
        `事件 ${history.events.length} 条 `,
        h('small', { className: 'muted' }, 'events, oldest first; 追溯 = effective before recorded'),
      ),
      table(
        [
          ['版本', 'version', 'num'],
          ['事件', 'type'],
          ['生效日期', 'effectiveOn'],
          ['记录时间', 'recordedAt'],
          ['操作人', 'actor'],
          ['内容', 'data'],
        ],
        history.events.map((event) => [
          event.streamVersion,
          h(
            'span',
            {},
            EVENT_LABELS[event.type] ?? event.type,
            h('br'),
            h('small', { className: 'muted' }, event.type),
          ),
          h(
            'span',
            {},
            event.effectiveOn ?? '—',
            isRetroactive(event)
              ? h('span', { className: 'badge retro', 'data-retroactive': '' }, '追溯 retroactive')
              : null,
          ),
          new Date(event.recordedAt).toLocaleString('zh-CN', { hour12: false }),
          event.actor ?? '—',
          h('details', {}, h('summary', {}, '展开 data'), h('pre', {}, JSON.stringify(event.data, null, 2))),
        ]),
      ),
      h('p', { className: 'muted' }, h('a', { href: `#/member/${id}${query({})}` }, '刷新 Refresh')),
    );
  });
}
