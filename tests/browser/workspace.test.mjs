// The analyst workspace in a real browser: Debian's chromium driven by playwright-core
// against a node started here from the release binary. Keyboard-only sign-in with a
// visible focus, every screen walked with Tab alone (en, fa, ru), every screen in en/fa/ru checked by axe-core for WCAG 2.2 AA, the
// Persian pages laid out right to left, reading without JavaScript, hostile names inert.
// Screenshots go to tests/browser/screenshots/ (look at them).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const bin = process.env.SYMBOLON_BIN || join(root, 'target', 'release', 'symbolon');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const shots = join(here, 'screenshots');
const password = 'browser-test-password-1';

let data, server, base, browser, collection, incident, askFile, uploadFile;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function symbolon(...args) {
  return execFileSync(bin, args, {
    env: { ...process.env, SYMBOLON_ADMIN_PASSWORD: password },
    encoding: 'utf8',
  }).trim();
}

/// `symbolon init`, returning the node's public key (printed on stderr).
function init(dir) {
  const out = execFileSync(bin, ['init', '--data', dir], {
    env: { ...process.env, SYMBOLON_ADMIN_PASSWORD: password },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out;
}

function keyOf(dir) {
  const head = JSON.parse(execFileSync(bin, ['audit', 'head', '--data', dir], { encoding: 'utf8' }));
  return head.public_key;
}

const hostileId = 'malware--00000000-0000-4000-8000-0000000000aa';
const persianId = 'indicator--00000000-0000-4000-8000-0000000000bb';

before(async () => {
  data = mkdtempSync(join(tmpdir(), 'symbolon-browser-'));
  const dir = join(data, 'node');
  // This node is IR's; a second node (RU's, used from the command line only) holds
  // information obtained from IR and asks IR's consent to pass it to a third party.
  const ru = join(data, 'ru');
  const nodes = [[dir, 'IR', 'ir-csirt'], [ru, 'RU', 'ru-csirt']];
  for (const [d, party, authority] of nodes) {
    init(d);
    symbolon('agreement', 'init', '--data', d, '--file', join(root, 'agreements', 'ir-ru-2021.toml'),
      '--party', party, '--authority', authority);
    for (const [p, day] of [['IR', '2021-03-01'], ['RU', '2021-05-10']]) {
      symbolon('agreement', 'notify', '--data', d, '--kind', 'ratification', '--party', p, '--received', day);
    }
  }
  for (const [d] of nodes) {
    for (const [other, party, authority] of nodes) {
      symbolon('agreement', 'notify', '--data', d, '--kind', 'designation', '--party', party,
        '--received', '2021-08-02', '--authority-id', authority, '--authority-name', `${party} CSIRT`,
        '--public-key', keyOf(other));
    }
  }
  symbolon('user', 'add', '--data', ru, 'vendor-cert', '--third-party', '--purpose', 'incident-response');
  const held = symbolon('collection', 'create', '--data', ru, '--title', 'From IR');
  const ask = symbolon('consent', 'request', '--data', ru, '--originator', 'ir-csirt', '--recipient', 'vendor-cert',
    '--purpose', 'incident-response', '--collection', held, '--expires', '2030-06-30', '--note', 'firmware clean-up');
  askFile = join(data, 'ask.json');
  writeFileSync(askFile, ask);
  // A second request reaches IR's node with the agreement's records: it waits on the
  // consents screen, with Grant and Decline, until the test declines it.
  const second = symbolon('consent', 'request', '--data', ru, '--originator', 'ir-csirt', '--recipient', 'vendor-cert',
    '--purpose', 'incident-response', '--collection', held, '--expires', '2029-12-31', '--note', 'a second look');
  const secondFile = join(data, 'ask-2.json');
  writeFileSync(secondFile, second);
  symbolon('consent', 'accept', '--data', dir, secondFile);
  collection = symbolon('collection', 'create', '--data', dir, '--title', 'Shared with RU');
  const bundle = {
    type: 'bundle',
    id: 'bundle--00000000-0000-4000-8000-000000000001',
    objects: [
      {
        type: 'malware', spec_version: '2.1', id: hostileId, is_family: false,
        created: '2024-03-20T10:00:00.000Z', modified: '2024-03-20T10:00:00.000Z',
        name: '<script>alert(1)</script>', description: '"><img src=x onerror=alert(2)>',
      },
      {
        type: 'indicator', spec_version: '2.1', id: persianId,
        created: '2024-03-20T10:00:00.000Z', modified: '2024-03-21T10:00:00.000Z',
        name: 'سرور فرمان‌دهی در 203.0.113.7', description: 'نشانی IP که در حمله دیده شد',
        pattern: "[ipv4-addr:value = '203.0.113.7']", pattern_type: 'stix',
        valid_from: '2024-03-20T10:00:00Z',
        object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
      },
    ],
  };
  const file = join(data, 'bundle.json');
  writeFileSync(file, JSON.stringify(bundle));
  symbolon('import', '--data', dir, '--collection', collection, file);
  uploadFile = join(data, 'upload.json');
  writeFileSync(uploadFile, JSON.stringify({
    type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000002',
    objects: [
      { type: 'indicator', spec_version: '2.1', id: 'indicator--00000000-0000-4000-8000-0000000000cc',
        created: '2024-03-22T10:00:00.000Z', modified: '2024-03-22T10:00:00.000Z', name: 'Uploaded in the browser',
        pattern: "[domain-name:value = 'c2.example']", pattern_type: 'stix', valid_from: '2024-03-22T10:00:00Z' },
      { type: 'indicator', spec_version: '2.1', id: 'indicator--broken' },
    ],
  }));
  symbolon('import', '--data', dir, '--collection', collection,
    join(root, '..', 'shared', 'data', 'attack', 'ics-attack-18.1.json'));
  // An exercise collection deleted: the audit page lists it, covered.
  const exercise = symbolon('collection', 'create', '--data', dir, '--title', 'Old exercise');
  symbolon('import', '--data', dir, '--collection', exercise, file);
  symbolon('collection', 'delete', '--data', dir, exercise, '--yes');
  incident = symbolon('incident', 'open', '--data', dir, '--collection', collection,
    '--name', 'Wiper at the grid operator', '--category', 'malicious-code/infected-system');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['serve', '--data', dir, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch { /* not yet listening */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  // RU's node exchanges with this one, then comes back restored from an older backup: its
  // audit log shrank, so this node halts exchange with it (the peers screen says why).
  symbolon('peer', 'add', 'ru-csirt', '--url', 'http://127.0.0.1:1/', '--purpose', 'incident-response',
    '--data', dir);
  symbolon('peer', 'add', 'ir-csirt', '--url', `${base}/`, '--purpose', 'incident-response', '--data', ru);
  const early = join(data, 'ru-early.tar');
  symbolon('backup', '--data', ru, '--out', early);
  symbolon('collection', 'create', '--data', ru, '--title', 'Later');
  symbolon('sync', '--data', ru);
  const restored = join(data, 'ru-restored');
  symbolon('restore', '--from', early, '--data', restored);
  const rewound = spawnSync(bin, ['sync', '--data', restored], { encoding: 'utf8' });
  assert.equal(rewound.status, 1, `${rewound.stdout}${rewound.stderr}`);
  assert.match(rewound.stdout + rewound.stderr, /halted exchange/);
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (data) rmSync(data, { recursive: true, force: true });
});

/// A signed-in page (through the form), optionally without JavaScript.
async function signedIn(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.on('dialog', (d) => { throw new Error(`a script ran: ${d.message()}`); });
  await page.goto(`${base}/ui/login`);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/ui/`);
  // The language is remembered per user: every test starts from English.
  await page.goto(`${base}/ui/?lang=en`);
  return { context, page };
}

async function axe(page, what) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const found = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  assert.deepEqual(found, [], `${what}: accessibility violations`);
}

test('signing in works from the keyboard alone, with the focus always visible', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/ui/login`);
  // Tab to the username field, noting that every focused element shows an outline.
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { name: el.getAttribute('name'), outline: style.outlineStyle, width: style.outlineWidth };
    });
    assert.notEqual(focused.outline, 'none', `focus visible on ${JSON.stringify(focused)}`);
    reached = focused.name === 'username';
  }
  assert.ok(reached, 'the username field is reachable with Tab');
  await page.keyboard.type('admin');
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${base}/ui/`);
  assert.match(await page.content(), /Shared with RU/);
  await context.close();
});

const screens = () => [
  ['home', '/ui/'],
  ['objects', `/ui/c/${collection}`],
  ['object', `/ui/c/${collection}/o/${persianId}`],
  ['hostile', `/ui/c/${collection}/o/${hostileId}`],
  ['search', '/ui/search?q=203.0.113.7'],
  ['text-search', '/ui/search?q=FrostyGoop'],
  ['incidents', '/ui/incidents'],
  ['incident', `/ui/incidents/${incident}`],
  ['agreement', '/ui/agreement'],
  ['consents', '/ui/consents'],
  ['transfer', `/ui/transfer?collection=${collection}&for=admin`],
  ['peers', '/ui/peers'],
  ['audit', '/ui/audit?verify=1'],
  ['audit-entry', '/ui/audit/entries/1'],
];

for (const lang of ['en', 'fa', 'ru']) {
  test(`every screen in ${lang} passes axe (WCAG 2.2 AA) and is photographed`, async () => {
    const { context, page } = await signedIn();
    for (const [name, path] of screens()) {
      const sep = path.includes('?') ? '&' : '?';
      const resp = await page.goto(`${base}${path}${sep}lang=${lang}`);
      assert.equal(resp.status(), 200, `${lang} ${name}`);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.equal(await page.getAttribute('html', 'dir'), lang === 'fa' ? 'rtl' : 'ltr');
      await axe(page, `${lang} ${name}`);
      await page.screenshot({ path: join(shots, `${lang}-${name}.png`), fullPage: false });
    }
    await context.close();
  });
}

test('a halted peer is explained in each language, with Resume behind a confirmation', async () => {
  const { context, page } = await signedIn();
  for (const [lang, words] of [['en', 'shrank from'], ['fa', 'کوچک شده است'], ['ru', 'сократился']]) {
    await page.goto(`${base}/ui/peers?lang=${lang}`);
    const text = await page.content();
    assert.ok(text.includes(words), `${lang}: the breach in words (${words})`);
    assert.ok(!text.includes('witness:'), `${lang}: not the node's English account`);
    assert.equal(await page.locator('form[action$="/resume"] input[type=checkbox][required]').count(), 1);
  }
  await context.close();
});

test('a form filled in wrongly is explained in each language, what was typed kept apart', async () => {
  const { context, page } = await signedIn();
  for (const lang of ['en', 'fa', 'ru']) {
    await page.goto(`${base}/ui/c/${collection}/o/${persianId}?lang=${lang}`);
    // What a client past the browser's own checks could send.
    await page.evaluate(() => {
      const count = document.querySelector('input[name=count]');
      count.type = 'text';
      count.value = 'many';
    });
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/sighting')),
      page.locator('form[action$="/sighting"] button[type=submit]').click(),
    ]);
    assert.equal(resp.status(), 400, `${lang}: a bad request`);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    assert.ok((await page.content()).includes('\u2068many\u2069'), `${lang}: the typed text, isolated`);
    await axe(page, `${lang} form error`);
    await page.screenshot({ path: join(shots, `${lang}-form-error.png`), fullPage: false });
  }
  await context.close();
});

/// Tabs through the page from its start until every control was focused once (or the
/// focus came round again); returns what was never reached and what showed no focus ring.
async function walkWithTab(page) {
  const total = await page.evaluate(() => {
    const selector = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), '
      + 'select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
    const all = [...document.querySelectorAll(selector)]
      .filter((el) => el.getClientRects().length > 0 && !el.closest('details:not([open]) > :not(summary)'));
    all.forEach((el, i) => { el.dataset.kbd = String(i); });
    document.activeElement?.blur();
    return all.length;
  });
  const reached = new Set();
  const unringed = [];
  let first;
  // A date field takes three Tabs (its day, month and year): room for those.
  for (let i = 0; i < 2 * total + 10 && reached.size < total; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return {
        kbd: el.dataset?.kbd,
        what: `${el.tagName.toLowerCase()} ${(el.textContent || el.getAttribute('name') || '').trim().slice(0, 30)}`,
        ring: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
      };
    });
    if (f.kbd === undefined) continue;
    if (f.kbd === first) break; // round again
    first ??= f.kbd;
    if (reached.has(f.kbd)) continue;
    reached.add(f.kbd);
    if (!f.ring) unringed.push(f.what);
  }
  const missed = await page.evaluate((seen) => [...document.querySelectorAll('[data-kbd]')]
    .filter((el) => !seen.includes(el.dataset.kbd))
    .map((el) => `${el.tagName.toLowerCase()} ${(el.textContent || el.getAttribute('name') || '').trim().slice(0, 30)}`), [...reached]);
  return { total, missed, unringed };
}

for (const lang of ['en', 'fa', 'ru']) {
  test(`every screen in ${lang} is worked with Tab alone: each control reached, its focus visible`, async () => {
    const { context, page } = await signedIn();
    for (const [name, path] of screens()) {
      const sep = path.includes('?') ? '&' : '?';
      await page.goto(`${base}${path}${sep}lang=${lang}`);
      const { total, missed, unringed } = await walkWithTab(page);
      assert.ok(total > 5, `${lang} ${name}: ${total} controls`);
      assert.deepEqual(missed, [], `${lang} ${name}: controls Tab never reached`);
      assert.deepEqual(unringed, [], `${lang} ${name}: focus without a visible ring`);
    }
    await context.close();
  });
}

test('the audit page lists a deleted collection as covered, in every language', async () => {
  const { context, page } = await signedIn();
  const covered = { en: /Covered/, fa: /پوشش‌داده‌شده/, ru: /Учтено/ };
  for (const lang of ['en', 'fa', 'ru']) {
    await page.goto(`${base}/ui/audit?verify=1&lang=${lang}`);
    const row = page.locator('tr', { hasText: 'Old exercise' });
    assert.equal(await row.count(), 1, `${lang}: one row for the deleted collection`);
    assert.match(await row.textContent(), covered[lang]);
    await page.screenshot({ path: join(shots, `${lang}-audit-deleted.png`), fullPage: true });
  }
  await context.close();
});

test("each party's deadline month starts its weeks where the party's week starts", async () => {
  const { context, page } = await signedIn();
  // IR works Saturday to Wednesday, RU Monday to Friday (agreements/ir-ru-2021.toml).
  const firstDays = { en: ['Sat', 'Mon'], fa: ['شنبه', 'دوشنبه'], ru: ['сб', 'пн'] };
  for (const lang of ['en', 'fa', 'ru']) {
    await page.goto(`${base}/ui/agreement?lang=${lang}`);
    const summaries = page.locator('details.calendar summary');
    assert.equal(await summaries.count(), 2, `${lang}: one month per party`);
    // Opened from the keyboard, as a keyboard-only user would.
    for (let i = 0; i < 2; i++) {
      await summaries.nth(i).focus();
      await page.keyboard.press('Enter');
    }
    const heads = await page.locator('table.month thead th:first-child').allTextContents();
    assert.deepEqual(heads.map((h) => h.trim()), firstDays[lang], `${lang} week starts`);
    assert.equal(await page.locator('table.month td.due').count(), 2, `${lang}: each deadline marked`);
    await axe(page, `${lang} agreement calendars`);
    await page.screenshot({ path: join(shots, `${lang}-agreement-calendar.png`), fullPage: true });
  }
  await context.close();
});

test('Persian pages mirror: the brand sits at the right, identifiers stay left to right', async () => {
  const { context, page } = await signedIn();
  await page.goto(`${base}/ui/c/${collection}/o/${persianId}?lang=fa`);
  const width = page.viewportSize().width;
  const brand = await page.locator('a.brand').boundingBox();
  assert.ok(brand.x > width / 2, `brand at x=${brand.x} of ${width}`);
  const idDir = await page.locator('dd bdi.id').first().evaluate((el) => getComputedStyle(el).direction);
  assert.equal(idDir, 'ltr', 'an identifier inside RTL text runs left to right');
  // Solar Hijri date with the Gregorian one beside it, in Persian digits.
  const body = await page.textContent('main');
  assert.match(body, /۱۴۰۳/);
  assert.match(body, /۲۰۲۴/);
  await context.close();
});

test('reading works without JavaScript and hostile names stay text', async () => {
  const { context, page } = await signedIn({ javaScriptEnabled: false });
  await page.goto(`${base}/ui/c/${collection}/o/${hostileId}`);
  assert.equal(await page.locator('h1').textContent(), '<script>alert(1)</script>');
  assert.equal(await page.locator('img').count(), 0);
  await page.goto(`${base}/ui/c/${collection}?type=malware`);
  assert.ok(await page.getByRole('link', { name: 'FrostyGoop' }).count() > 0);
  await context.close();
});

test('the accessibility check finds a fault when one is planted (it can fail)', async () => {
  const { context, page } = await signedIn();
  await page.goto(`${base}/ui/`);
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'text';
    document.querySelector('main').appendChild(input);
  });
  await assert.rejects(() => axe(page, 'planted'), /label/);
  await context.close();
});

test('the language is switched by its link and stays switched', async () => {
  const { context, page } = await signedIn();
  await page.goto(`${base}/ui/`);
  await page.getByRole('link', { name: 'فارسی' }).click();
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  await page.getByRole('link', { name: 'مجموعه‌ها' }).first().click();
  assert.equal(await page.getAttribute('html', 'lang'), 'fa');
  await page.getByRole('link', { name: 'English' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await context.close();
});

test('a bundle is uploaded and its rejection is listed', async () => {
  const { context, page } = await signedIn();
  await page.goto(`${base}/ui/transfer`);
  await page.getByLabel('STIX bundle or TAXII envelope (JSON)').setInputFiles(uploadFile);
  await page.getByRole('button', { name: 'Import' }).click();
  const status = await page.getByRole('status').first().textContent();
  assert.match(status, /Added:\s*1/);
  assert.match(await page.content(), /indicator--broken/);
  await page.screenshot({ path: join(shots, 'en-import-result.png') });
  // The validator's reason in the user's language, the id it quotes as written.
  for (const [lang, words] of [
    ['fa', /indicator--broken\u2069 شناسه‌ای به شکل type--UUID نیست/],
    ['ru', /indicator--broken\u2069 — не идентификатор вида type--UUID/],
  ]) {
    await page.goto(`${base}/ui/transfer?lang=${lang}`);
    await page.locator('input[type=file]').setInputFiles(uploadFile);
    await page.locator('form[enctype="multipart/form-data"] button[type=submit]').click();
    assert.match(await page.content(), words);
    await axe(page, `${lang} import result`);
    await page.screenshot({ path: join(shots, `${lang}-import-result.png`) });
  }
  await page.goto(`${base}/ui/transfer?lang=en`);
  await page.goto(`${base}/ui/search?q=Uploaded`);
  assert.ok(await page.getByRole('link', { name: 'Uploaded in the browser' }).count() > 0);
  await context.close();
});

test("a consent asked by the other party's node is granted for a shorter term", async () => {
  const { context, page } = await signedIn();
  await page.goto(`${base}/ui/consents`);
  const { readFileSync } = await import('node:fs');
  await page.getByLabel('The signed request (JSON)').fill(readFileSync(askFile, 'utf8'));
  await page.locator('form:has(textarea) input[name="expires"]').fill('2027-06-30');
  await page.locator('form:has(textarea) button').click();
  await page.waitForURL(`${base}/ui/consents`);
  const text = await page.textContent('main');
  assert.match(text, /vendor-cert/);
  // The last day in words, its stored form in the <time> element.
  assert.match(text, /Jun 30, 2027/);
  assert.equal(await page.locator('time[datetime^="2027-06-30"]').count() > 0, true);
  assert.match(text, /valid/);
  await page.screenshot({ path: join(shots, 'en-consent-granted.png'), fullPage: true });
  await context.close();
});

test('a waiting request is declined with a reason, shown declined in every language', async () => {
  const { context, page } = await signedIn();
  await page.goto(`${base}/ui/consents`);
  assert.match(await page.textContent('main'), /a second look/);
  await page.getByLabel('Reason (optional)').first().fill('not for vendors');
  await page.getByRole('button', { name: 'Decline' }).first().click();
  await page.waitForURL(`${base}/ui/consents`);
  for (const lang of ['en', 'fa', 'ru']) {
    await page.goto(`${base}/ui/consents?lang=${lang}`);
    const text = await page.textContent('main');
    assert.match(text, /not for vendors/);
    assert.doesNotMatch(text, /a second look/, 'a declined request no longer waits');
    await axe(page, `${lang} consents after a decline`);
    await page.screenshot({ path: join(shots, `${lang}-consent-declined.png`), fullPage: true });
  }
  await context.close();
});

test('guessing a password is slowed, and the sign-in form says so in every language', async () => {
  for (const lang of ['en', 'fa', 'ru']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang });
    const page = await context.newPage();
    let last;
    for (let i = 0; i < 6; i++) {
      await page.goto(`${base}/ui/login`);
      await page.locator('input[name="username"]').fill(`guesser-${lang}`);
      await page.locator('input[name="password"]').fill('wrong');
      [last] = await Promise.all([
        page.waitForResponse((r) => r.url().startsWith(`${base}/ui/login`) && r.request().method() === 'POST'),
        page.locator('form button[type="submit"]').click(),
      ]);
    }
    assert.equal(last.status(), 429, `${lang}: the sixth attempt waits`);
    assert.ok(last.headers()['retry-after'], 'says when to try again');
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    await axe(page, `${lang} slowed sign-in`);
    await page.screenshot({ path: join(shots, `${lang}-login-slowed.png`) });
    await context.close();
  }
});
