import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchKey } from "../../src/domain/text.ts";
import type { DemoMember } from "../../src/services/demo.ts";
import { demoSecretary, loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { runningClock } from "../helpers/clock.ts";

/**
 * The committee console attacked from outside, by plain HTTP on loopback: stored markup in every
 * text a member or an officer can type, another commune's ids in every address and form, forms
 * without their token or from another site, a role taken away mid-session, personal data in
 * addresses, the author of anonymous feedback, and malformed addresses. The calendar is Tuesday
 * 8 December 2026, the day after the demo village's December meeting.
 */
const clock = runningClock("2026-12-08T03:00:00Z");
const local = (iso: string) => new Date(`${iso}+07:00`);

/** A stored text that becomes markup if any page forgets to escape it; `tag` says where it came from. */
const payload = (tag: string) => `${tag} <script>alert(1)</script>"><img src=x onerror=alert(1)><a href="javascript:alert(1)">j</a>`;
const XSS = {
  member: "XSSMEMBER", cell: "XSSCELL", commune: "XSSCOMMUNE", feedback: "XSSFEEDBACK", note: "XSSNOTE", template: "XSSTEMPLATE",
  notice: "XSSNOTICE", reason: "XSSREASON", place: "XSSPLACE", holiday: "XSSHOLIDAY",
} as const;

/** Everything of the other commune carries this word, so a leak is easy to see. */
const FOREIGN = "KHAC";
const ANON_TEXT = "Ý kiến kín về việc chia đất ANONTEXT";

interface Session {
  cookie: string;
  csrf: string;
  memberId: number;
}

interface Target {
  org: number;
  cell: number;
  item: number;
  template: number;
  meeting: number;
  member: number;
  secretary: number;
  notice: number;
}

let app: LocalChibo;
let demo: DemoMember[];
let admin: Session;
let reviewer: Session;
let secretary: Session;
let marked: Session;
let foreignAdmin: Session;
let reviewerId: number;
let province: number;
let ids: {
  commune: number; dong: number; tay: number; meeting: number; item: number; anonItem: number; template: number; notice: number;
  marked: number; anonAuthor: { id: number; fullName: string; phone: string };
};
let foreign: Target & { author: number; reviewerAdmin: number };

const db = () => app.chibo.db;

async function signIn(memberId: number): Promise<Session> {
  const { token } = await app.chibo.services.consoleSessions.issueLink(memberId, "cli", clock.now(), { kind: "cli" });
  const res = await fetch(`${app.baseUrl}/console/signin`, { method: "POST", body: new URLSearchParams({ token }), redirect: "manual", headers: { origin: app.baseUrl } });
  expect(res.status).toBe(303);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const page = await (await fetch(`${app.baseUrl}/console/account`, { headers: { cookie }, redirect: "manual" })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  return { cookie, csrf, memberId };
}

const get = (s: Session, path: string) => fetch(`${app.baseUrl}${path}`, { headers: { cookie: s.cookie }, redirect: "manual" });

function post(s: Session, path: string, form: Record<string, string>, options: { token?: string | null; origin?: string | null } = {}) {
  const body = new URLSearchParams(form);
  const token = options.token === undefined ? s.csrf : options.token;
  if (token !== null) body.append("_csrf", token);
  const origin = options.origin === undefined ? app.baseUrl : options.origin;
  return fetch(`${app.baseUrl}${path}`, { method: "POST", body, redirect: "manual", headers: { cookie: s.cookie, ...(origin === null ? {} : { origin }) } });
}

function postFile(
  s: Session, path: string, fields: Record<string, string>, options: { token?: string | null; origin?: string | null } = {},
  file: { name: string; bytes: string; type: string } = { name: "danh-sach.xlsx", bytes: "not really a workbook", type: "application/octet-stream" },
) {
  const form = new FormData();
  const token = options.token === undefined ? s.csrf : options.token;
  if (token !== null) form.append("_csrf", token);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([file.bytes], { type: file.type }), file.name);
  const origin = options.origin === undefined ? app.baseUrl : options.origin;
  return fetch(`${app.baseUrl}${path}`, { method: "POST", body: form, redirect: "manual", headers: { cookie: s.cookie, ...(origin === null ? {} : { origin }) } });
}

/** Every row a change could touch (not the audit log nor the sessions, which reads and sign-ins write). */
async function snapshot(): Promise<Record<string, string>> {
  const d = db();
  const byId = { orderBy: { id: "asc" as const } };
  const tables = {
    organization: d.organization.findMany(byId), meetingRule: d.meetingRule.findMany(byId), holiday: d.holiday.findMany(byId),
    meeting: d.meeting.findMany(byId), attendance: d.attendance.findMany(byId), member: d.member.findMany(byId), role: d.role.findMany(byId),
    feedback: d.feedback.findMany(byId), feedbackEvent: d.feedbackEvent.findMany(byId), feedbackNote: d.feedbackNote.findMany(byId),
    answerTemplate: d.answerTemplate.findMany(byId), notice: d.notice.findMany(byId), noticeDelivery: d.noticeDelivery.findMany(byId),
    inviteCode: d.inviteCode.findMany(byId), importRun: d.importRun.findMany(byId), chatIdentity: d.chatIdentity.findMany(byId),
    outboxMessages: d.outboxMessage.count(),
  };
  const entries = await Promise.all(Object.entries(tables).map(async ([name, rows]) => [name, JSON.stringify(await rows)] as const));
  return Object.fromEntries(entries);
}

const changed = (before: Record<string, string>, after: Record<string, string>) => Object.keys(before).filter((k) => before[k] !== after[k]);

/** Markup that runs: the payload unescaped anywhere, or a javascript: address in an attribute. */
function unsafeMarkup(page: string): string[] {
  const found: string[] = [];
  if (/<script>alert\(1\)/i.test(page)) found.push("<script>");
  if (/<img src=x/i.test(page)) found.push("<img onerror>");
  if (/(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i.test(page)) found.push("javascript: URL");
  return found;
}

function docText(bytes: ArrayBuffer): Promise<string> {
  return JSZip.loadAsync(bytes).then(async (zip) => {
    const parts = await Promise.all(Object.values(zip.files).filter((f) => f.name.endsWith(".xml")).map((f) => f.async("string")));
    return parts.join("\n");
  });
}

beforeAll(async () => {
  app = await startChiboLocal({}, { clock });
  demo = await loadDemo(app.chibo);
  const d = db();
  const { services } = app.chibo;
  const org = (code: string) => d.organization.findUniqueOrThrow({ where: { code } });
  const [commune, dong, tay, nam] = await Promise.all(["demo-xa", "demo-thon-dong", "demo-thon-tay", "demo-thon-nam"].map(org));
  const adminMember = demo.find((m) => m.roles.includes("reviewer") && m.roles.includes("administrator"))!;
  const secretaryMember = demoSecretary(demo, "demo-thon-dong");
  const plainDong = demo.filter((m) => m.cellCode === "demo-thon-dong" && m.roles.length === 1 && m.roles[0] === "member" && m.phone !== null);
  const markedMember = plainDong[0]!;
  const anonAuthor = plainDong[1]!;

  // A reviewer of the commune who is nothing else there.
  const reviewerMember = await d.member.create({ data: { fullName: "Trần Thị Duyệt Riêng", searchName: "tran thi duyet rieng", phone: "0909555666", status: "full", cellId: nam!.id } });
  await d.role.create({ data: { memberId: reviewerMember.id, organizationId: nam!.id, role: "member" } });
  await d.role.create({ data: { memberId: reviewerMember.id, organizationId: commune!.id, role: "reviewer" } });
  reviewerId = reviewerMember.id;

  // Stored markup in the demo commune, written straight to the database where a form would refuse it.
  await d.member.update({ where: { id: markedMember.id }, data: { fullName: `Nguyễn ${payload(XSS.member)}` } });
  await d.organization.update({ where: { id: tay!.id }, data: { name: `Chi bộ ${payload(XSS.cell)}` } });
  await d.organization.update({ where: { id: commune!.id }, data: { name: `Đảng bộ ${payload(XSS.commune)}` } });
  await d.holiday.create({ data: { organizationId: commune!.id, date: "2026-12-15", name: payload(XSS.holiday) } });
  const meeting = await d.meeting.create({ data: { cellId: dong!.id, scheduledAt: local("2026-12-07T19:30"), place: payload(XSS.place) } });
  await d.attendance.create({ data: { meetingId: meeting.id, memberId: markedMember.id, answer: "absent", reason: payload(XSS.reason), source: "button", answeredAt: local("2026-12-06T10:00") } });

  const item = await app.chibo.feedback.submit({
    authorId: markedMember.id, anonymous: false, addressee: "peoples_committee", category: "land", text: payload(XSS.feedback), now: local("2026-12-01T09:00"),
  });
  const anonItem = await app.chibo.feedback.submit({
    authorId: anonAuthor.id, anonymous: true, addressee: "peoples_committee", category: "cadres", text: ANON_TEXT, now: local("2026-12-01T10:00"),
  });
  const adminPerson = (await services.consoleAccess.person(adminMember.id))!;
  const adminViewer = { memberId: adminMember.id, roles: adminPerson.roles, via: "console" as const };
  await services.feedbackDesk.addNote(item.id, payload(XSS.note), adminViewer, clock.now());
  const template = await services.answerTemplates.create(adminViewer, commune!.id, { title: "Mẫu", text: "Nội dung" }, clock.now());
  await d.answerTemplate.update({ where: { id: template.id }, data: { title: payload(XSS.template), text: payload(XSS.template) } });
  const sent = await services.notices.send({ orgId: commune!.id, text: payload(XSS.notice), actor: { memberId: adminMember.id, roles: adminPerson.roles }, now: clock.now() });

  // The other commune, a sibling under the same province.
  const oc = await services.organizations.add({ level: "base", unitKind: "commune", name: `Đảng ủy xã Hòa Lạc ${FOREIGN}`, code: "khac-xa", parentCode: "demo-tinh" });
  const ocell = await services.organizations.add({ level: "cell", cellKind: "village", name: `Chi bộ thôn Bắc ${FOREIGN}`, code: "khac-thon-bac", parentCode: "khac-xa" });
  const person = (fullName: string, phone: string, birthDate: string | null = null) =>
    d.member.create({ data: { fullName, searchName: searchKey(fullName), phone, birthDate, status: "full", cellId: ocell.id } });
  const oAuthor = await person(`Đỗ Văn ${FOREIGN} Một`, "0909111222");
  const oSecretary = await person(`Lê Thị ${FOREIGN} Hai`, "0909111333", "1965-03-02");
  const oReviewer = await person(`Lý Văn ${FOREIGN} Ba`, "0909111444");
  for (const m of [oAuthor, oSecretary, oReviewer]) await d.role.create({ data: { memberId: m.id, organizationId: ocell.id, role: "member" } });
  await d.role.create({ data: { memberId: oSecretary.id, organizationId: ocell.id, role: "secretary" } });
  await d.role.create({ data: { memberId: oReviewer.id, organizationId: oc.id, role: "reviewer" } });
  await d.role.create({ data: { memberId: oReviewer.id, organizationId: oc.id, role: "administrator" } });
  const oPerson = (await services.consoleAccess.person(oReviewer.id))!;
  const oViewer = { memberId: oReviewer.id, roles: oPerson.roles, via: "console" as const };
  const oItem = await app.chibo.feedback.submit({
    authorId: oAuthor.id, anonymous: false, addressee: "peoples_committee", category: "land", text: `Bí mật ${FOREIGN}: đường thôn hỏng`, now: local("2026-12-02T09:00"),
  });
  const oTemplate = await services.answerTemplates.create(oViewer, oc.id, { title: `Mẫu ${FOREIGN}`, text: `Trả lời ${FOREIGN}` }, clock.now());
  const oMeeting = await d.meeting.create({ data: { cellId: ocell.id, scheduledAt: local("2026-12-07T19:30"), place: `Nhà văn hóa ${FOREIGN}` } });
  await d.attendance.create({ data: { meetingId: oMeeting.id, memberId: oAuthor.id, answer: "absent", reason: `Ốm ${FOREIGN}`, source: "button", answeredAt: local("2026-12-06T10:00") } });
  await d.holiday.create({ data: { organizationId: oc.id, date: "2026-12-15", name: `Lễ ${FOREIGN}` } });
  const oNotice = await services.notices.send({ orgId: oc.id, text: `Thông báo ${FOREIGN}`, actor: { memberId: oReviewer.id, roles: oPerson.roles }, now: clock.now() });

  province = (await org("demo-tinh")).id;
  ids = {
    commune: commune!.id, dong: dong!.id, tay: tay!.id, meeting: meeting.id, item: item.id, anonItem: anonItem.id, template: template.id,
    notice: sent.notice.id, marked: markedMember.id, anonAuthor: { id: anonAuthor.id, fullName: anonAuthor.fullName, phone: anonAuthor.phone! },
  };
  foreign = {
    org: oc.id, cell: ocell.id, item: oItem.id, template: oTemplate.id, meeting: oMeeting.id, member: oAuthor.id, secretary: oSecretary.id,
    notice: oNotice.notice.id, author: oAuthor.id, reviewerAdmin: oReviewer.id,
  };
  admin = await signIn(adminMember.id);
  reviewer = await signIn(reviewerMember.id);
  secretary = await signIn(secretaryMember.id);
  marked = await signIn(markedMember.id);
  foreignAdmin = await signIn(oReviewer.id);
}, 120_000);
afterAll(() => app?.stop());

describe("stored markup", () => {
  it("is escaped on every page that shows a name, a text, a reason, a place or a holiday typed by someone", async () => {
    const pages: [Session, string, string[]][] = [
      [admin, "/console/members", [XSS.cell]],
      [admin, `/console/members?cell=${ids.dong}`, [XSS.member]],
      [admin, `/console/members/${ids.marked}`, [XSS.member]],
      [admin, `/console/members/unlinked?cell=${ids.dong}`, [XSS.member]],
      [admin, `/console/members/slips?cell=${ids.dong}`, [XSS.member]],
      [admin, "/console/organization", [XSS.commune, XSS.cell]],
      [admin, `/console/organization/${ids.commune}?year=2026`, [XSS.commune, XSS.holiday, XSS.cell]],
      [admin, `/console/organization/${ids.tay}`, [XSS.cell]],
      [admin, "/console/feedback", [XSS.member]],
      [admin, `/console/feedback/${ids.item}`, [XSS.feedback, XSS.member, XSS.note, XSS.template]],
      [admin, `/console/feedback/${ids.item}?template=${ids.template}`, [XSS.template]],
      [admin, "/console/feedback/templates", [XSS.template, XSS.commune]],
      [admin, `/console/feedback/templates/${ids.template}`, [XSS.template]],
      [admin, "/console/notices", [XSS.commune]],
      [admin, `/console/notices/${ids.notice}`, [XSS.notice, XSS.commune, XSS.member]],
      [admin, "/console/meetings?month=2026-12", [XSS.cell, XSS.place]],
      [admin, `/console/meetings/${ids.meeting}`, [XSS.place, XSS.member, XSS.reason]],
      [admin, "/console/overview", [XSS.commune]],
      [admin, "/console/account", [XSS.commune]],
      [marked, "/console/me", [XSS.member, XSS.reason, XSS.feedback]],
    ];
    const problems: string[] = [];
    for (const [session, path, shown] of pages) {
      const res = await get(session, path);
      const text = await res.text();
      if (res.status !== 200) problems.push(`${path}: status ${res.status}`);
      for (const bad of unsafeMarkup(text)) problems.push(`${path}: ${bad}`);
      for (const tag of shown) if (!text.includes(tag)) problems.push(`${path}: ${tag} not shown`);
    }
    expect(problems).toEqual([]);
  });

  it("is escaped in the answer's preview, the notice's preview and a refused form that shows what was typed", async () => {
    const typed = payload("XSSTYPED");
    const cases: [string, Record<string, string>][] = [
      [`/console/feedback/${ids.item}/answer/preview`, { answer: typed }],
      [`/console/feedback/${ids.item}/answer/edit`, { answer: typed }],
      [`/console/feedback/${ids.item}/act`, { action: "forward", status: "submitted", agencyName: `${typed}${"x".repeat(500)}` }],
      ["/console/notices/preview", { orgId: String(ids.commune), text: typed }],
      ["/console/notices/edit", { orgId: String(ids.commune), text: typed }],
      ["/console/feedback/search", { q: typed }],
      ["/console/members", { query: typed }],
      [`/console/organization/${ids.commune}/officers/search`, { q: typed }],
      [`/console/organization/${ids.commune}/holidays`, { date: "not a day", name: typed }],
    ];
    const before = await snapshot();
    const problems: string[] = [];
    for (const [path, form] of cases) {
      const res = await post(admin, path, form);
      const text = await res.text();
      if (res.status >= 500) problems.push(`${path}: status ${res.status}`);
      for (const bad of unsafeMarkup(text)) problems.push(`${path}: ${bad}`);
    }
    expect(problems).toEqual([]);
    expect(changed(before, await snapshot())).toEqual([]);
  });
});

const demoTarget = (): Target => ({
  org: ids.commune, cell: ids.dong, item: ids.item, template: ids.template, meeting: ids.meeting, member: ids.marked,
  secretary: demoSecretary(demo, "demo-thon-dong").id, notice: ids.notice,
});

/** Every address and form that names an object, pointed at `t`'s objects. */
function addressedRoutes(t: Target): { gets: string[]; posts: [string, Record<string, string>][]; files: [string, Record<string, string>][] } {
  const o = `/console/organization/${t.org}`;
  const c = `/console/organization/${t.cell}`;
  return {
    gets: [
      `/console/feedback/${t.item}`, `/console/feedback/${t.item}/photo`, `/console/feedback/templates/${t.template}`,
      `/console/meetings/${t.meeting}`, `/console/meetings/${t.meeting}/minutes.docx`, `/console/meetings/attendance.xlsx?cell=${t.cell}&year=2026`,
      `/console/meetings/open?cell=${t.cell}&date=2026-12-07`, `/console/meetings/open?cell=${t.cell}&date=2027-01-07`,
      `/console/members/${t.member}`, `/console/members?cell=${t.cell}`, `/console/members/slips?cell=${t.cell}`,
      `/console/members/unlinked?cell=${t.cell}`, `/console/members/template.xlsx?org=${t.org}`,
      `/console/notices/${t.notice}`, `/console/notices/${t.notice}/progress.json`,
      o, c, `${o}/name`, `${c}/officers/grant`, `/console/overview?org=${t.org}`, `/console/overview?org=${t.cell}`,
    ],
    posts: [
      [`/console/feedback/${t.item}/answer/preview`, { answer: "Trả lời lạ" }],
      [`/console/feedback/${t.item}/answer/edit`, { answer: "Trả lời lạ" }],
      [`/console/feedback/${t.item}/answer`, { answer: "Trả lời lạ", status: "submitted" }],
      [`/console/feedback/${t.item}/act`, { action: "review", status: "submitted" }],
      [`/console/feedback/${t.item}/act`, { action: "reject", status: "submitted", reason: "Không xét" }],
      [`/console/feedback/${t.item}/act`, { action: "forward", status: "submitted", agencyName: "Sở lạ" }],
      [`/console/feedback/${t.item}/notes`, { text: "Ghi chú lạ" }],
      [`/console/feedback/${t.item}/assign`, { assignee: "" }],
      [`/console/feedback/templates/${t.template}`, { title: "Đổi", text: "Đổi" }],
      [`/console/feedback/templates/${t.template}/delete`, {}],
      [`/console/meetings/${t.meeting}/attendance`, { member: String(t.member), answer: "present", reason: "" }],
      [`/console/meetings/${t.meeting}/held`, { held: "yes" }],
      [`/console/meetings/${t.meeting}/held`, { held: "no" }],
      [`/console/meetings/${t.meeting}/postpone`, { date: "2026-12-09", time: "19:30", reason: "Mưa" }],
      [`/console/members/${t.member}/exemption`, { kind: "exempt", reason: "Ốm dài ngày" }],
      [`/console/members/${t.member}/exemption/clear`, {}],
      ["/console/members", { cell: String(t.cell), query: "a" }],
      ["/console/members/slips", { cell: String(t.cell) }],
      ["/console/members/slips", { cell: String(t.cell), member: String(t.member) }],
      ["/console/notices/preview", { orgId: String(t.org), text: "Thông báo lạ" }],
      ["/console/notices/edit", { orgId: String(t.org), text: "Thông báo lạ" }],
      ["/console/notices", { orgId: String(t.org), text: "Thông báo lạ" }],
      ["/console/notices", { orgId: String(t.cell), text: "Thông báo lạ" }],
      [`${o}/name`, { name: "Tên lạ" }],
      [`${o}/kind`, { kind: "ward" }],
      [`${c}/rule`, { kind: "dayOfMonth", dayOfMonth: "9", time: "19:00", place: "Nơi lạ" }],
      [`${o}/settings/maxPostponeDays`, { maxPostponeDays: "3", value: "3" }],
      [`${o}/settings/maxPostponeDays/unset`, {}],
      [`${o}/settings/addressees/unset`, {}],
      [`${o}/holidays`, { date: "2026-12-24", name: "Lễ lạ" }],
      [`${o}/holidays/remove`, { date: "2026-12-15" }],
      [`${o}/addressees`, { name: "Cơ quan lạ" }],
      [`${o}/addressees/remove`, { key: "party_committee" }],
      [`${o}/children`, { level: "cell", name: "Chi bộ lạ", cellKind: "village" }],
      [`${o}/children`, { level: "sub_branch", name: "Chi bộ cơ sở lạ" }],
      [`${o}/officers/search`, { q: "a" }],
      [`${c}/officers/grant`, { memberId: String(t.member), role: "secretary" }],
      [`${c}/officers/revoke`, { memberId: String(t.secretary), role: "secretary" }],
    ],
    files: [["/console/members/import", { org: String(t.org) }], ["/console/members/import", { org: String(t.cell) }]],
  };
}

/**
 * Tries every route against `t` as `who`: each must be "not found", show nothing of `t`'s commune
 * (`leak`: a word all its names and texts carry) and leave the database as it was.
 */
async function tamper(who: [string, Session][], t: Target, leak: string): Promise<string[]> {
  const routes = addressedRoutes(t);
  const problems: string[] = [];
  for (const [name, session] of who) {
    const before = await snapshot();
    for (const path of routes.gets) {
      const res = await get(session, path);
      const text = await res.text();
      if (res.status !== 404) problems.push(`${name} GET ${path}: ${res.status}`);
      if (text.includes(leak)) problems.push(`${name} GET ${path}: shows the other commune`);
    }
    for (const [path, form] of routes.posts) {
      const res = await post(session, path, form);
      const text = await res.text();
      if (res.status !== 404) problems.push(`${name} POST ${path} ${JSON.stringify(form)}: ${res.status}`);
      if (text.includes(leak)) problems.push(`${name} POST ${path}: shows the other commune`);
    }
    for (const [path, fields] of routes.files) {
      const res = await postFile(session, path, fields);
      if (res.status !== 404) problems.push(`${name} POST (file) ${path} ${JSON.stringify(fields)}: ${res.status}`);
    }
    for (const table of changed(before, await snapshot())) problems.push(`${name}: table ${table} changed`);
  }
  return problems;
}

describe("another commune's ids in addresses and forms", () => {
  it("are 'not found' for the demo commune's administrator, reviewer and a secretary, and change nothing", async () => {
    const problems = await tamper([["administrator", admin], ["reviewer", reviewer], ["secretary", secretary]], foreign, FOREIGN);
    expect(problems).toEqual([]);
  });

  it("(control) opens the same addresses for the demo commune's own objects, so a 404 above is the scope check", async () => {
    const own = addressedRoutes(demoTarget());
    const problems: string[] = [];
    for (const path of own.gets.filter((p) => !p.includes("/photo") && !p.includes("/open?"))) {
      const res = await get(admin, path);
      await res.arrayBuffer();
      if (res.status === 404 || res.status >= 500) problems.push(`GET ${path}: ${res.status}`);
    }
    expect(problems).toEqual([]);
  });

  it("are 'not found' the other way round: the other commune's administrator and reviewer at the demo commune's ids", async () => {
    // Every name and text of the demo commune this test marked carries "XSS"; the attacker's own pages carry "KHAC".
    expect(await tamper([["other commune's administrator", foreignAdmin]], demoTarget(), "XSS")).toEqual([]);
  });

  it("refuses another commune's id inside a form on one's own object, and changes nothing", async () => {
    const before = await snapshot();
    const problems: string[] = [];
    const expectRefused = async (session: Session, path: string, form: Record<string, string>) => {
      const res = await post(session, path, form);
      const text = await res.text();
      if (res.status < 400 || res.status >= 500) problems.push(`POST ${path} ${JSON.stringify(form)}: ${res.status}`);
      if (text.includes(FOREIGN)) problems.push(`POST ${path}: shows the other commune`);
    };
    await expectRefused(admin, "/console/feedback/templates", { organization: String(foreign.org), title: "Mẫu lạ", text: "Nội dung lạ" });
    await expectRefused(admin, `/console/feedback/${ids.item}/assign`, { assignee: String(foreign.reviewerAdmin) });
    await expectRefused(secretary, `/console/meetings/${ids.meeting}/attendance`, { member: String(foreign.author), answer: "present", reason: "" });
    await expectRefused(admin, "/console/members/slips", { cell: String(ids.dong), member: String(foreign.author) });
    await expectRefused(admin, `/console/organization/${ids.dong}/officers/grant`, { memberId: String(foreign.author), role: "secretary" });
    const withForeignTemplate = await get(admin, `/console/feedback/${ids.item}?template=${foreign.template}`);
    if (withForeignTemplate.status !== 404) problems.push(`GET /console/feedback/${ids.item}?template=${foreign.template}: ${withForeignTemplate.status}`);
    expect(problems).toEqual([]);
    expect(changed(before, await snapshot())).toEqual([]);
  });

  it("lets no filter, search or export show the other commune's rows", async () => {
    const foreignItem = await db().feedback.findUniqueOrThrow({ where: { id: foreign.item } });
    const foreignNames = (await db().member.findMany({ where: { cellId: foreign.cell } })).map((m) => m.fullName);
    // What only the other commune's rows would show (a search box shows back what was typed).
    const rows = [foreignItem.text, `/console/feedback/${foreign.item}"`, ...foreignNames, `Chi bộ thôn Bắc ${FOREIGN}`];
    const problems: string[] = [];
    const check = async (label: string, res: Response, forbidden: string[] = [FOREIGN]) => {
      const isFile = (res.headers.get("content-type") ?? "").includes("openxmlformats");
      const text = isFile ? await docText(await res.arrayBuffer()) : await res.text();
      if (res.status >= 500) problems.push(`${label}: ${res.status}`);
      for (const word of forbidden) if (text.includes(word)) problems.push(`${label}: shows the other commune (${word})`);
    };
    for (const [who, session] of [["administrator", admin], ["reviewer", reviewer]] as const) {
      await check(`${who} queue ?cell=`, await get(session, `/console/feedback?cell=${foreign.cell}`));
      await check(`${who} export ?cell=`, await get(session, `/console/feedback/export?cell=${foreign.cell}`));
      await check(`${who} export`, await get(session, "/console/feedback/export"));
      await check(`${who} search`, await post(session, "/console/feedback/search", { q: "Bí mật" }), rows);
      await check(`${who} search ?cell=`, await post(session, "/console/feedback/search", { q: "đường", cell: String(foreign.cell) }), rows);
      await check(`${who} search by reference`, await post(session, "/console/feedback/search", { q: foreignItem.reference }), rows);
      await check(`${who} export of a search`, await post(session, "/console/feedback/export", { q: "Bí mật" }), rows);
      await check(`${who} meetings`, await get(session, "/console/meetings?month=2026-12"));
      await check(`${who} notices`, await get(session, "/console/notices"));
      await check(`${who} overview`, await get(session, "/console/overview"));
      await check(`${who} templates`, await get(session, "/console/feedback/templates"));
    }
    await check("administrator members search", await post(admin, "/console/members", { query: FOREIGN }), rows);
    await check("administrator members search by phone", await post(admin, "/console/members", { query: "0909111222" }), rows);
    await check("administrator officers search", await post(admin, `/console/organization/${ids.commune}/officers/search`, { q: FOREIGN }), rows);
    await check("administrator tree", await get(admin, "/console/organization"));
    await check("administrator meeting year", await get(admin, `/console/meetings/attendance.xlsx?cell=${ids.dong}&year=2026`));
    await check("secretary minutes", await get(secretary, `/console/meetings/${ids.meeting}/minutes.docx`));
    expect(problems).toEqual([]);
  });
});

/** Every form of the console, on the viewer's own objects, so only the token can stop it. */
function ownPosts(): [Session, string, Record<string, string>][] {
  const o = `/console/organization/${ids.commune}`;
  const c = `/console/organization/${ids.dong}`;
  return [
    [admin, "/console/signout", {}],
    [admin, "/console/signout-everywhere", {}],
    [admin, "/console/language", { language: "en" }],
    [admin, "/console/feedback/search", { q: "đường" }],
    [admin, "/console/feedback/export", { q: "đường" }],
    [admin, "/console/feedback/templates", { organization: String(ids.commune), title: "Mẫu mới", text: "Nội dung mới" }],
    [admin, `/console/feedback/templates/${ids.template}`, { title: "Đổi", text: "Đổi" }],
    [admin, `/console/feedback/templates/${ids.template}/delete`, {}],
    [admin, `/console/feedback/${ids.item}/answer/preview`, { answer: "Trả lời" }],
    [admin, `/console/feedback/${ids.item}/answer/edit`, { answer: "Trả lời" }],
    [admin, `/console/feedback/${ids.item}/answer`, { answer: "Trả lời", status: "submitted" }],
    [admin, `/console/feedback/${ids.item}/act`, { action: "review", status: "submitted" }],
    [admin, `/console/feedback/${ids.item}/notes`, { text: "Ghi chú" }],
    [admin, `/console/feedback/${ids.item}/assign`, { assignee: String(admin.memberId) }],
    [secretary, `/console/meetings/${ids.meeting}/attendance`, { member: String(ids.anonAuthor.id), answer: "absent", reason: "Bận" }],
    [secretary, `/console/meetings/${ids.meeting}/held`, { held: "yes" }],
    [secretary, `/console/meetings/${ids.meeting}/postpone`, { date: "2026-12-09", time: "19:30", reason: "Mưa" }],
    [admin, "/console/members", { query: "Nguyễn" }],
    [admin, "/console/members/import/confirm", { sha256: "0".repeat(64) }],
    [admin, "/console/members/import/cancel", {}],
    [admin, "/console/members/slips", { cell: String(ids.dong), member: String(ids.marked) }],
    [admin, `/console/members/${ids.marked}/exemption`, { kind: "exempt", reason: "Ốm dài ngày" }],
    [admin, `/console/members/${ids.marked}/exemption/clear`, {}],
    [admin, "/console/notices/preview", { orgId: String(ids.commune), text: "Họp" }],
    [admin, "/console/notices/edit", { orgId: String(ids.commune), text: "Họp" }],
    [admin, "/console/notices", { orgId: String(ids.commune), text: "Họp bất thường" }],
    [admin, `${o}/name`, { name: "Tên mới" }],
    [admin, `${o}/kind`, { kind: "ward" }],
    [admin, `${c}/rule`, { kind: "dayOfMonth", dayOfMonth: "9", time: "19:00", place: "Nhà văn hóa" }],
    [admin, `${o}/settings/maxPostponeDays`, { maxPostponeDays: "3", value: "3" }],
    [admin, `${o}/settings/maxPostponeDays/unset`, {}],
    [admin, `${o}/holidays`, { date: "2026-12-24", name: "Lễ" }],
    [admin, `${o}/holidays/remove`, { date: "2026-12-15" }],
    [admin, `${o}/addressees`, { name: "Cơ quan mới" }],
    [admin, `${o}/addressees/remove`, { key: "party_committee" }],
    [admin, `${o}/children`, { level: "cell", name: "Chi bộ mới", cellKind: "village" }],
    [admin, `${o}/officers/search`, { q: "Nguyễn" }],
    [admin, `${c}/officers/grant`, { memberId: String(ids.marked), role: "secretary" }],
    [admin, `${c}/officers/revoke`, { memberId: String(demoSecretary(demo, "demo-thon-dong").id), role: "secretary" }],
    [marked, "/console/me/export", {}],
    [marked, "/console/me/erase", {}],
  ];
}

describe("forms without the session's token, or from another site", () => {
  it("are refused (403) at every form of the console and change nothing", async () => {
    const before = await snapshot();
    const problems: string[] = [];
    const variants: [string, { token?: string | null; origin?: string | null }][] = [
      ["no token", { token: null }], ["a wrong token", { token: "x".repeat(43) }], ["another session's token", { token: reviewer.csrf }],
      ["another site", { origin: "http://evil.example" }], ["another site's referrer", { origin: null }],
    ];
    for (const [session, path, form] of ownPosts()) {
      for (const [label, options] of variants) {
        const res = label === "another site's referrer"
          ? await fetch(`${app.baseUrl}${path}`, {
            method: "POST", redirect: "manual", body: new URLSearchParams({ ...form, _csrf: session.csrf }),
            headers: { cookie: session.cookie, referer: "http://evil.example/page" },
          })
          : await post(session, path, form, options);
        await res.arrayBuffer();
        if (res.status !== 403) problems.push(`POST ${path} with ${label}: ${res.status}`);
      }
    }
    for (const [label, options] of variants.slice(0, 4)) {
      const res = await postFile(admin, "/console/members/import", { org: String(ids.commune) }, options);
      await res.arrayBuffer();
      if (res.status !== 403) problems.push(`POST (file) /console/members/import with ${label}: ${res.status}`);
    }
    expect(problems).toEqual([]);
    expect(changed(before, await snapshot())).toEqual([]);
    // Still signed in: neither sign-out went through.
    expect((await get(admin, "/console/account")).status).toBe(200);
    expect(await db().member.findUniqueOrThrow({ where: { id: admin.memberId } })).toMatchObject({ language: "vi" });
  });

  it("refuses a sign-in posted from another site's page (someone else's link pressed for the victim)", async () => {
    const { token } = await app.chibo.services.consoleSessions.issueLink(foreign.reviewerAdmin, "cli", clock.now(), { kind: "cli" });
    const res = await fetch(`${app.baseUrl}/console/signin`, { method: "POST", body: new URLSearchParams({ token }), redirect: "manual", headers: { origin: "http://evil.example" } });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("a role taken away while signed in", () => {
  it("closes its pages and forms at once", async () => {
    const session = await signIn(reviewerId);
    expect((await get(session, "/console/feedback")).status).toBe(200);
    expect((await get(session, `/console/feedback/${ids.item}`)).status).toBe(200);
    const role = await db().role.findFirstOrThrow({ where: { memberId: reviewerId, role: "reviewer" } });
    await db().role.delete({ where: { id: role.id } });
    try {
      const before = await snapshot();
      for (const path of ["/console/feedback", `/console/feedback/${ids.item}`, "/console/feedback/templates", "/console/feedback/export", "/console/notices", "/console/overview"]) {
        expect((await get(session, path)).status, path).toBe(404);
      }
      expect((await post(session, `/console/feedback/${ids.item}/act`, { action: "review", status: "submitted" })).status).toBe(404);
      expect((await post(session, `/console/feedback/${ids.item}/notes`, { text: "Sau khi mất quyền" })).status).toBe(404);
      expect(changed(before, await snapshot())).toEqual([]);
      const home = await get(session, "/console");
      expect(home.headers.get("location")).toBe("/console/me");
      const me = await (await get(session, "/console/me")).text();
      expect(me).not.toContain('href="/console/feedback"');
    } finally {
      await db().role.create({ data: { memberId: reviewerId, organizationId: ids.commune, role: "reviewer" } });
    }
  });
});

describe("inside the demo commune", () => {
  it("keeps a cell's secretary to their cell, a reviewer to seeing meetings, an administrator below the province", async () => {
    const d = db();
    const tayMeeting = await d.meeting.create({ data: { cellId: ids.tay, scheduledAt: local("2026-12-07T19:30") } });
    const tayMember = await d.member.findFirstOrThrow({ where: { cellId: ids.tay, roles: { none: { role: { not: "member" } } } } });
    const before = await snapshot();
    const problems: string[] = [];
    const expectStatus = async (label: string, res: Response, allowed: number[]) => {
      await res.arrayBuffer();
      if (!allowed.includes(res.status)) problems.push(`${label}: ${res.status}`);
    };
    // The secretary of thôn Đông, at thôn Tây's and the commune's objects.
    for (const path of [
      `/console/members/${tayMember.id}`, `/console/members?cell=${ids.tay}`, `/console/members/slips?cell=${ids.tay}`, `/console/members/unlinked?cell=${ids.tay}`,
      `/console/members/template.xlsx?org=${ids.commune}`, `/console/meetings/${tayMeeting.id}`, `/console/meetings/${tayMeeting.id}/minutes.docx`,
      `/console/meetings/attendance.xlsx?cell=${ids.tay}&year=2026`, `/console/overview?org=${ids.commune}`, `/console/overview?org=${ids.tay}`,
      "/console/organization", `/console/organization/${ids.dong}`, "/console/feedback", `/console/feedback/${ids.item}`, `/console/notices/${ids.notice}`,
    ]) await expectStatus(`secretary GET ${path}`, await get(secretary, path), [404]);
    for (const [path, form] of [
      [`/console/members/${tayMember.id}/exemption`, { kind: "exempt", reason: "Ốm" }],
      [`/console/meetings/${tayMeeting.id}/held`, { held: "yes" }],
      [`/console/meetings/${tayMeeting.id}/attendance`, { member: String(tayMember.id), answer: "present", reason: "" }],
      [`/console/meetings/${tayMeeting.id}/postpone`, { date: "2026-12-09", time: "19:30", reason: "Mưa" }],
      ["/console/members/slips", { cell: String(ids.tay) }],
      ["/console/notices", { orgId: String(ids.commune), text: "Thông báo toàn xã" }],
      ["/console/notices", { orgId: String(ids.tay), text: "Thông báo thôn Tây" }],
    ] as [string, Record<string, string>][]) await expectStatus(`secretary POST ${path}`, await post(secretary, path, form), [404]);
    await expectStatus("secretary import into the commune", await postFile(secretary, "/console/members/import", { org: String(ids.commune) }), [404]);
    // The commune's reviewer sees meetings but changes none.
    for (const [path, form] of [
      [`/console/meetings/${ids.meeting}/held`, { held: "yes" }],
      [`/console/meetings/${ids.meeting}/attendance`, { member: String(ids.anonAuthor.id), answer: "present", reason: "" }],
      [`/console/meetings/${ids.meeting}/postpone`, { date: "2026-12-09", time: "19:30", reason: "Mưa" }],
    ] as [string, Record<string, string>][]) await expectStatus(`reviewer POST ${path}`, await post(reviewer, path, form), [400, 403, 404]);
    for (const path of ["/console/members", `/console/members/${ids.marked}`, "/console/organization", `/console/organization/${ids.commune}`]) {
      await expectStatus(`reviewer GET ${path}`, await get(reviewer, path), [404]);
    }
    // The commune's administrator, at the province above.
    await expectStatus("administrator GET province", await get(admin, `/console/organization/${province}`), [404]);
    await expectStatus("administrator grants self at the province",
      await post(admin, `/console/organization/${province}/officers/grant`, { memberId: String(admin.memberId), role: "administrator" }), [404]);
    await expectStatus("administrator overview of the province", await get(admin, `/console/overview?org=${province}`), [404]);
    expect(problems).toEqual([]);
    expect(changed(before, await snapshot())).toEqual([]);
  });
});

describe("the author of anonymous feedback", () => {
  it("is named on no page, file or preview a reviewer reaches", async () => {
    const { fullName, phone } = ids.anonAuthor;
    const problems: string[] = [];
    const check = (label: string, text: string, forbidden: string[]) => {
      for (const word of forbidden) if (text.includes(word)) problems.push(`${label}: contains ${word === phone ? "the phone" : "the name"}`);
    };
    const anonRef = (await db().feedback.findUniqueOrThrow({ where: { id: ids.anonItem } })).reference;
    for (const [who, session] of [["reviewer", reviewer], ["administrator", admin]] as const) {
      for (const path of ["/console/feedback", "/console/feedback?anonymous=1", `/console/feedback?cell=${ids.dong}`, `/console/feedback/${ids.anonItem}`, "/console/overview"]) {
        const res = await get(session, path);
        expect(res.status, path).toBe(200);
        check(`${who} ${path}`, await res.text(), [fullName, phone]);
      }
      const preview = await post(session, `/console/feedback/${ids.anonItem}/answer/preview`, { answer: "Xin cảm ơn đồng chí đã góp ý." });
      expect(preview.status).toBe(200);
      check(`${who} answer preview`, await preview.text(), [fullName, phone]);
      const searched = await (await post(session, "/console/feedback/search", { q: fullName })).text();
      if (searched.includes(anonRef)) problems.push(`${who} search by the author's name finds the anonymous item`);
      const byPhone = await (await post(session, "/console/feedback/search", { q: phone })).text();
      if (byPhone.includes(anonRef)) problems.push(`${who} search by the author's phone finds the anonymous item`);
      const exported = await get(session, "/console/feedback/export");
      expect(exported.status).toBe(200);
      const sheet = await docText(await exported.arrayBuffer());
      expect(sheet).toContain(anonRef);
      check(`${who} export`, sheet, [fullName, phone]);
      const minutes = await get(session, `/console/meetings/${ids.meeting}/minutes.docx`);
      expect(minutes.status).toBe(200);
      const doc = await docText(await minutes.arrayBuffer());
      // The roll call names every member, the author among them; the item is listed by reference only.
      expect(doc).toContain(anonRef);
      check(`${who} minutes`, doc, [phone, "ANONTEXT"]);
    }
    expect(problems).toEqual([]);
  });
});

describe("personal data in addresses", () => {
  it("never appears in a link or a redirect of the pages a reviewer and an administrator can reach, two clicks deep", async () => {
    const d = db();
    const [members, items, notes] = await Promise.all([
      d.member.findMany({ select: { fullName: true, phone: true } }),
      d.feedback.findMany({ select: { text: true } }),
      d.feedbackNote.findMany({ select: { text: true } }),
    ]);
    const secrets = [
      ...members.flatMap((m) => [m.fullName, ...(m.phone ? [m.phone] : [])]),
      ...items.map((i) => i.text), ...notes.map((n) => n.text),
    ].filter((s) => s.length >= 6);
    const problems: string[] = [];
    for (const [who, session] of [["reviewer", reviewer], ["administrator", admin]] as const) {
      const seen = new Set<string>();
      let level = ["/console", "/console/overview", "/console/feedback", "/console/meetings", "/console/members", "/console/organization", "/console/notices", "/console/me", "/console/account"];
      let fetched = 0;
      for (let depth = 0; depth <= 2 && level.length > 0; depth++) {
        const next: string[] = [];
        for (const address of level) {
          if (seen.has(address)) continue;
          seen.add(address);
          if (fetched++ > 500) break;
          const res = await get(session, address);
          if (res.status >= 500) problems.push(`${who} ${address}: ${res.status}`);
          const found: string[] = [];
          const location = res.headers.get("location");
          if (location) found.push(location);
          if ((res.headers.get("content-type") ?? "").includes("text/html")) {
            const page = await res.text();
            for (const match of page.matchAll(/href="([^"]*)"/g)) found.push(match[1]!.replaceAll("&amp;", "&").replaceAll("&#39;", "'").replaceAll("&quot;", '"'));
          } else {
            await res.arrayBuffer();
          }
          for (const raw of found) {
            const url = new URL(raw, `${app.baseUrl}${address}`);
            if (url.origin !== app.baseUrl || !url.pathname.startsWith("/console") || url.pathname.startsWith("/console/assets")) continue;
            let readable = `${url.pathname}${url.search}`;
            try {
              readable = decodeURIComponent(readable.replaceAll("+", " "));
            } catch {
              // kept as written
            }
            for (const secret of secrets) if (readable.includes(secret)) problems.push(`${who}: ${readable} (from ${address}) holds personal data`);
            if (/[?&](q|query|text|name|phone)=/.test(url.search)) problems.push(`${who}: ${readable} (from ${address}) carries typed text`);
            next.push(`${url.pathname}${url.search}`);
          }
        }
        level = [...new Set(next)];
      }
      expect(fetched, who).toBeGreaterThan(20);
    }
    expect([...new Set(problems)]).toEqual([]);
  });
});

describe("malformed addresses and inputs", () => {
  const stackTrace = /\bat [\w.<>$]+ \(|\.ts:\d+:\d+|node_modules|PrismaClient|Invalid `|TypeError|RangeError/;

  it("answer with a page in Vietnamese (4xx), never a stack trace or a server error", async () => {
    const big = "9".repeat(10);
    const cases = [
      "/console/meetings/abc", "/console/feedback/99999999999999999999", `/console/feedback/${big}`, `/console/feedback/${big}/photo`,
      `/console/meetings/${big}`, `/console/meetings/${big}/minutes.docx`, `/console/members/${big}`, `/console/notices/${big}`,
      `/console/notices/${big}/progress.json`, `/console/organization/${big}`, `/console/feedback/templates/${big}`,
      `/console/meetings/open?cell=${big}&date=2026-12-07`, `/console/meetings/attendance.xlsx?cell=${big}&year=2026`,
      `/console/overview?org=${big}`, `/console/members/template.xlsx?org=${big}`, `/console/members/slips?cell=${big}`,
      `/console/members/unlinked?cell=${big}`, `/console/feedback/${ids.item}?template=${big}`,
      "/console/members/%00", "/console/meetings/%00", "/console/organization/%00", "/console/feedback/%00", "/console/notices/%00",
      "/console/feedback/%E0%A4%A", "/console/meetings/-1", "/console/members/0", "/console/feedback/1e3", "/console/feedback/0x10",
      "/console/meetings?month=2026-13", "/console/meetings?month=abc", "/console/meetings?month=0000-01", "/console/meetings?status=<b>",
      `/console/meetings/attendance.xlsx?cell=${ids.dong}&year=abcd`, `/console/meetings/attendance.xlsx?cell=${ids.dong}&year=1800`,
      `/console/meetings/open?cell=${ids.dong}&date=2026-02-31`, `/console/meetings/open?cell=${ids.dong}&date=%00`,
      "/console/feedback?from=2026-02-31", "/console/feedback?to=abc",
    ];
    const problems: string[] = [];
    for (const path of cases) {
      const res = await get(admin, path);
      const text = await res.text();
      if (res.status < 400 || res.status >= 500) problems.push(`${path}: ${res.status}`);
      if (!(res.headers.get("content-type") ?? "").includes("text/html")) problems.push(`${path}: ${res.headers.get("content-type")}`);
      else if (!text.includes('lang="vi"') || !/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(text)) problems.push(`${path}: not in Vietnamese`);
      if (stackTrace.test(text)) problems.push(`${path}: shows a stack trace`);
    }
    expect(problems).toEqual([]);
  });

  it("answer odd page numbers, repeated and huge parameters without a server error or a stack trace", async () => {
    const huge = "a".repeat(12_000);
    const repeated = Array.from({ length: 400 }, (_, i) => `page=${i}`).join("&");
    const cases = [
      "/console/members?page=abc", "/console/members?page=999999999", "/console/members?page=-1", `/console/members?${repeated}`,
      "/console/meetings?page=999999999", "/console/meetings?page=0", "/console/notices?page=999999999", "/console/notices?page=-5",
      "/console/feedback?page=999999999", "/console/feedback?page=abc", `/console/feedback?${repeated}`, "/console/feedback?cell=1&cell=2",
      "/console/feedback?status=open&status=closed", "/console/members?cell=1&cell=2", "/console/overview?org=1&org=2",
      "/console/meetings?month=2026-12&month=2027-01", `/console/members?x=${huge}`, `/console/feedback?q=${huge}`,
      `/console/meetings?month=${huge}`, `/console/organization/${ids.commune}?year=99999`, `/console/organization/${ids.commune}?year=abc`,
      "/console/members?ok=<script>", "/console/feedback?sort=__proto__", "/console/feedback?__proto__[x]=1",
    ];
    const problems: string[] = [];
    for (const path of cases) {
      const res = await get(admin, path);
      const text = await res.text();
      if (res.status >= 500) problems.push(`${path.slice(0, 80)}: ${res.status}`);
      if (stackTrace.test(text)) problems.push(`${path.slice(0, 80)}: shows a stack trace`);
      if (res.status >= 400 && !text.includes('lang="vi"')) problems.push(`${path.slice(0, 80)}: ${res.status} not a Vietnamese page`);
    }
    expect(problems).toEqual([]);
  });

  it("answers an address longer than the server reads (over 16 KB) with a short page in Vietnamese too", async () => {
    const res = await get(admin, `/console/members?x=${"a".repeat(20_000)}`);
    const text = await res.text();
    expect(res.status).toBe(431);
    expect(res.headers.get("content-type") ?? "").toContain("text/html");
    expect(text).toContain('lang="vi"');
  });

  it("refuses malformed forms with words, nothing saved", async () => {
    const before = await snapshot();
    const cases: [Session, string, Record<string, string> | string][] = [
      [secretary, `/console/meetings/${ids.meeting}/postpone`, { date: "ngày mai", time: "25:99", reason: "x" }],
      [secretary, `/console/meetings/${ids.meeting}/attendance`, { member: "abc", answer: "maybe" }],
      [secretary, `/console/meetings/${ids.meeting}/held`, { held: "perhaps" }],
      [admin, `/console/feedback/${ids.item}/act`, { action: "explode", status: "submitted" }],
      [admin, `/console/feedback/${ids.item}/assign`, { assignee: "99999999999999" }],
      [admin, `/console/members/${ids.marked}/exemption`, { kind: "forever", reason: "", from: "2026-02-31" }],
      [admin, `/console/organization/${ids.commune}/holidays`, { date: "2026-13-45", name: "" }],
      [admin, `/console/organization/${ids.dong}/rule`, { kind: "nthWeekday", weekday: "9", nth: "-7", time: "99:99" }],
      [admin, `/console/organization/${ids.commune}/settings/maxPostponeDays`, { maxPostponeDays: "-999999", value: "-999999" }],
      [admin, `/console/organization/${ids.commune}/officers/grant`, { memberId: "99999999999", role: "emperor" }],
      [admin, "/console/notices", { orgId: String(ids.commune), text: "" }],
      [admin, "/console/notices", { orgId: String(ids.commune), text: "x".repeat(200_000) }],
      [admin, "/console/feedback/templates", { organization: String(ids.commune), title: "", text: "" }],
      [admin, `/console/feedback/${ids.item}/act`, `action=review&action=close&status=submitted&_csrf=${admin.csrf}`],
    ];
    const problems: string[] = [];
    for (const [session, path, form] of cases) {
      const res = typeof form === "string"
        ? await fetch(`${app.baseUrl}${path}`, { method: "POST", body: form, redirect: "manual", headers: { cookie: session.cookie, origin: app.baseUrl, "content-type": "application/x-www-form-urlencoded" } })
        : await post(session, path, form);
      const text = await res.text();
      if (res.status < 400 || res.status >= 500) problems.push(`POST ${path} ${JSON.stringify(form).slice(0, 80)}: ${res.status}`);
      if (stackTrace.test(text)) problems.push(`POST ${path}: shows a stack trace`);
      if (!text.includes('lang="vi"')) problems.push(`POST ${path}: not a Vietnamese page`);
    }
    expect(problems).toEqual([]);
    expect(changed(before, await snapshot())).toEqual([]);
  });
});

describe("a member list imported by an administrator", () => {
  it("neither names nor takes over a member of another commune met by phone or by name and birth date", async () => {
    const d = db();
    await app.chibo.services.organizations.add({ level: "cell", cellKind: "village", name: "Chi bộ thôn Mới", code: "demo-thon-moi", parentCode: "demo-xa" });
    const watched = [foreign.author, foreign.secretary, foreign.reviewerAdmin];
    const state = async () => JSON.stringify(await d.member.findMany({ where: { id: { in: watched } }, include: { roles: true }, orderBy: { id: "asc" } }));
    const before = await state();
    const upload = (csv: string) => postFile(admin, "/console/members/import", { org: String(ids.commune) }, {}, { name: "danh-sach.csv", bytes: csv, type: "text/csv" });
    const header = "Họ và tên,Ngày sinh,Số điện thoại,Chi bộ,Ngày vào Đảng,Ngày chính thức\n";
    const problems: string[] = [];

    // A made-up name with a phone of the other commune: the answer must not say whose phone it is.
    const probe = await upload(`${header}Người Dò Tìm,01/01/1970,0909111444,Chi bộ thôn Mới,01/01/2000,01/01/2001\n`);
    const probeText = await probe.text();
    if (probeText.includes(FOREIGN)) problems.push(`POST /console/members/import (row: made-up name + another commune's phone): ${probe.status}, names the phone's owner`);
    await (await post(admin, "/console/members/import/cancel", {})).arrayBuffer();

    // Their names with a phone or a birth date: confirming must not move them into this commune.
    const takeover = await upload(`${header}Đỗ Văn ${FOREIGN} Một,,0909111222,Chi bộ thôn Mới,01/01/2000,01/01/2001\n`
      + `Lê Thị ${FOREIGN} Hai,02/03/1965,,Chi bộ thôn Mới,01/01/2000,01/01/2001\n`);
    const takeoverText = await takeover.text();
    const sha256 = /name="sha256" value="([0-9a-f]{64})"/.exec(takeoverText)?.[1];
    if (sha256) {
      const confirmed = await post(admin, "/console/members/import/confirm", { sha256, allowDeactivate: "yes" });
      await confirmed.arrayBuffer();
      const after = await d.member.findMany({ where: { id: { in: watched } }, include: { cell: true, roles: true } });
      for (const m of after) if (m.cell.code !== "khac-thon-bac") problems.push(`confirm ${m.fullName} moved to ${m.cell.code}, roles now ${m.roles.map((r) => r.role).join(",")}`);
    }
    await (await post(admin, "/console/members/import/cancel", {})).arrayBuffer();
    if ((await state()) !== before) problems.push("the other commune's members changed");
    expect(problems).toEqual([]);
  });
});
