// The WordPress plugin in a real WordPress (Debian's packages, see wordpress.ts), driven in Chromium as a site
// owner and a participant would: the zip built by `npm run build:wordpress` installed, activated from the Plugins
// screen, configured on its settings page (with the connection test), a page with the shortcode and a page made
// with the block in the block editor (live preview), both searched by BIB against a real photo-finish server;
// escaping, loading only where used, and the uninstall.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import yauzl from 'yauzl';
import { startApiFixture, type ApiFixture } from '../support/api-fixture.ts';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';
import { missingWordPress, startWordPress, type WordPress } from './wordpress.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const missing = missingWordPress();
if (missing) console.log(`[wordpress] skipped: ${missing} (apt-get install -y wordpress mariadb-server php-cli php-mysql)`);

/** Unzips the plugin zip (the file a site owner uploads) into `dest`. */
async function unzip(zip: string, dest: string) {
  const file = await promisify<string, yauzl.Options, yauzl.ZipFile>(yauzl.open)(zip, { lazyEntries: true });
  await new Promise<void>((resolveAll, reject) => {
    file.on('entry', (entry: yauzl.Entry) => {
      file.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const out = join(dest, entry.fileName);
          mkdirSync(dirname(out), { recursive: true });
          writeFileSync(out, Buffer.concat(chunks));
          file.readEntry();
        });
      });
    });
    file.on('end', resolveAll);
    file.on('error', reject);
    file.readEntry();
  });
}

describe('WordPress plugin', { skip: missing ?? false, timeout: 240_000 }, () => {
  let fixture: ApiFixture;
  let wp: WordPress;
  let browser: Browser;
  let context: BrowserContext;
  let work: string;
  const problems: string[] = [];

  /** Errors of the page and failed requests to WordPress or photo-finish (WordPress's own calls to the internet fail here). */
  const watch = (page: Page) => {
    const ours = (url: string) => url.startsWith(wp.url) || url.startsWith(fixture.url);
    page.on(
      'console',
      (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(`console: ${m.text()}`),
    );
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => ours(r.url()) && problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on(
      'response',
      (r) =>
        r.status() >= 400 &&
        ours(r.url()) &&
        !r.url().endsWith('/favicon.ico') &&
        problems.push(`http ${r.status()}: ${r.url()}`),
    );
    return page;
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'pf-wp-plugin-'));
    const built = await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/build-wordpress.mjs')], { cwd: ROOT });
    console.log(`[wordpress] ${built.stdout.trim()}`);
    await unzip(join(ROOT, 'dist-wordpress/photo-finish.zip'), work);
    [fixture, wp] = await Promise.all([
      startApiFixture(),
      startWordPress({ name: 'photo-finish', dir: join(work, 'photo-finish') }),
    ]);
    browser = await chromium.launch({ executablePath: await findChromium(), args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = watch(await context.newPage());
    await page.goto(`${wp.url}/wp-login.php`);
    await page.locator('#user_login').fill(wp.admin.user);
    await page.locator('#user_pass').fill(wp.admin.password);
    await page.locator('#wp-submit').click();
    await page.waitForURL(/\/wp-admin\//);
    await page.close();
  });
  after(async () => {
    await browser?.close();
    await wp?.stop();
    await fixture?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('activates from the Plugins screen', async () => {
    const page = watch(await context.newPage());
    await page.goto(`${wp.url}/wp-admin/plugins.php`);
    await page.getByLabel('Activate Photo Finish').click();
    await page.locator('#message', { hasText: 'Plugin activated.' }).waitFor();
    assert.equal(await page.getByLabel('Deactivate Photo Finish').count(), 1);
    await page.close();
  });

  test('settings page: the connection test, and a secret key refused', async () => {
    const page = watch(await context.newPage());
    await page.goto(`${wp.url}/wp-admin/options-general.php?page=photo-finish`);
    const d = fixture.demo;
    await page.getByLabel('Server URL').fill(`${fixture.url}/`);
    await page.getByLabel('Organisation').fill(String(d.org_id));
    // A wrong key first: the test says what the server answered.
    await page.getByLabel('Publishable key').fill('pk_wrong');
    await page.getByRole('button', { name: 'Test the connection' }).click();
    await page.locator('#photo-finish-test-result', { hasText: /The server refused: .+ \(HTTP 40[13]\)/ }).waitFor();
    problems.length = 0; // the browser logs that 401/403 on purpose
    await page.getByLabel('Publishable key').fill(d.publishable_key);
    await page.getByRole('button', { name: 'Test the connection' }).click();
    await page
      .locator('#photo-finish-test-result', {
        hasText: new RegExp(`^Connected: this key sees \\d+ event\\(s\\): .*\\(#${d.event_id}\\)`),
      })
      .waitFor();
    await page.getByRole('button', { name: 'Save Changes' }).click();
    await page.locator('#setting-error-settings_updated', { hasText: 'Settings saved.' }).waitFor();
    assert.equal(await page.getByLabel('Server URL').inputValue(), fixture.url, 'stored without the trailing slash');

    // A secret key is never stored (it would be in every page).
    await page.getByLabel('Publishable key').fill('sk_secret_123');
    await page.getByRole('button', { name: 'Save Changes' }).click();
    await page.getByText('That is a secret key').first().waitFor();
    assert.equal(await page.getByLabel('Publishable key').inputValue(), d.publishable_key);
    const saved = JSON.parse(await wp.php("echo wp_json_encode(get_option('photo_finish_settings'));")) as Record<
      string,
      unknown
    >;
    assert.deepEqual(saved, { server_url: fixture.url, org_id: d.org_id, publishable_key: d.publishable_key, theme: 'auto' });
    assert.deepEqual(problems, []);
    await page.close();
  });

  /** Searches a BIB in the page's pf-bib-search and waits for its photos. */
  async function searchBib(page: Page, bib: string) {
    const search = page.locator('pf-bib-search').first();
    await search.locator('[part=search-input]').fill(bib);
    await search.locator('[part=search-input]').press('Enter');
    await search.locator('pf-gallery button.photo').first().waitFor();
    const summary = await search.locator('[part=summary]').textContent();
    assert.match(summary ?? '', new RegExp(`^[1-9]\\d* photos? of BIB ${bib}$`));
  }

  /** The kit's script and theme tags of a page. */
  const kitTags = (page: Page) =>
    page.evaluate(() => ({
      scripts: document.querySelectorAll('script[src*="/kit/photo-finish.js"]').length,
      themes: document.querySelectorAll('link[rel=stylesheet][href*="/kit/themes/"]').length,
    }));

  test('a page with the shortcode: BIB search and photos; the kit loaded once', async () => {
    const d = fixture.demo;
    const id =
      await wp.php(`echo wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Race photos',
      'post_content' => '[photo-finish event="${d.event_id}" elements="bib-search,gallery"]' . "\\n\\n" . '[photo-finish event="${d.event_id}" elements="certificate"]']);`);
    const page = watch(await context.newPage());
    await page.goto(`${wp.url}/?page_id=${id.trim()}`);
    await searchBib(page, '0427');
    // The gallery of the first embed shows the event's photos; the second embed has the certificate.
    await page.locator('.photo-finish-embed pf-event > pf-gallery button.photo').first().waitFor();
    await page.locator('pf-certificate').first().waitFor();
    assert.deepEqual(await kitTags(page), { scripts: 1, themes: 1 }, 'two embeds, one script and one theme');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a page made with the block in the block editor: live preview, then BIB search on the page', async () => {
    const d = fixture.demo;
    const page = watch(await context.newPage());
    await page.goto(`${wp.url}/wp-admin/post-new.php?post_type=page`);
    await page.waitForFunction(() => {
      const w = window as unknown as { wp?: { data?: { select(s: string): unknown } } };
      return !!w.wp?.data?.select('core/block-editor') && !!w.wp.data.select('core/edit-post');
    });
    await page.evaluate(
      ([event]) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const wpg = (window as any).wp;
        if (wpg.data.select('core/edit-post').isFeatureActive('welcomeGuide'))
          wpg.data.dispatch('core/edit-post').toggleFeature('welcomeGuide');
        wpg.data.dispatch('core/editor').editPost({ title: 'Block photos' });
        wpg.data
          .dispatch('core/block-editor')
          .insertBlocks(wpg.blocks.createBlock('photo-finish/embed', { event, elements: ['bib-search', 'gallery'] }));
      },
      [d.event_id],
    );
    // The block's settings list the events the key sees; the preview is the real kit.
    const editorRoot = (await page.locator('iframe[name="editor-canvas"]').count())
      ? page.frameLocator('iframe[name="editor-canvas"]')
      : page;
    await editorRoot.locator('.photo-finish-block pf-event pf-gallery button.photo').first().waitFor();
    await page.getByLabel('Event', { exact: true }).locator(`option[value="${d.event_id}"]`).waitFor({ state: 'attached' });
    assert.equal(await page.getByLabel('Event', { exact: true }).inputValue(), String(d.event_id));
    const link = await page.evaluate(async () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const wpg = (window as any).wp;
      wpg.data.dispatch('core/editor').editPost({ status: 'publish' });
      await wpg.data.dispatch('core/editor').savePost();
      return wpg.data.select('core/editor').getCurrentPost().link as string;
    });
    const content = await wp.php(`$p = get_page_by_title('Block photos'); echo $p->post_content;`);
    assert.match(content, /<!-- wp:photo-finish\/embed \{"event":\d+(,"elements":\["bib-search","gallery"\])?\} \/-->/);
    await page.close();

    const front = watch(await context.newPage());
    await front.goto(link);
    await searchBib(front, '0427');
    assert.deepEqual(await kitTags(front), { scripts: 1, themes: 1 });
    assert.deepEqual(problems, []);
    await front.close();
  });

  test('pages without an embed load nothing of the kit', async () => {
    const page = watch(await context.newPage());
    await page.goto(`${wp.url}/?page_id=2`); // WordPress's "Sample Page"
    await page.locator('body').waitFor();
    assert.deepEqual(await kitTags(page), { scripts: 0, themes: 0 });
    await page.close();
  });

  test('every attribute is escaped, unknown elements dropped', async () => {
    // Settings written straight into the database (no sanitising on this path) and hostile shortcode values.
    const html = await wp.php(`
      $saved = get_option('photo_finish_settings');
      update_option('photo_finish_settings', array_merge($saved, ['server_url' => 'https://x.example/"><script>alert(1)</script>', 'publishable_key' => "pk_'\\"><img src=x onerror=alert(2)>"]));
      echo do_shortcode('[photo-finish event="7&quot; onmouseover=&quot;alert(3)" elements="gallery,<b>bold</b>,pf-evil,finder,bib"]');
      update_option('photo_finish_settings', $saved);`);
    assert.doesNotMatch(html, /<script|<img|<b>|onmouseover|pf-evil/);
    assert.match(
      html,
      /<pf-event api="https:\/\/x\.example\/&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;" org="\d+" event="7" key="pk_&#039;&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt;">/,
    );
    assert.match(html, /<pf-gallery><\/pf-gallery><pf-finder><\/pf-finder><pf-bib-search><\/pf-bib-search><\/pf-event>/);
  });

  test('translation-ready: the strings come through the photo-finish text domain', async () => {
    const out = await wp.php(`
      add_filter('gettext', function ($t, $text, $domain) { return $domain === 'photo-finish' ? '[fr] ' . $text : $t; }, 10, 3);
      wp_set_current_user(1);
      echo photo_finish_render(0, 'gallery');`);
    assert.equal(out, '<p class="photo-finish-notice">[fr] Photo Finish: set the event number (event=&quot;7&quot;).</p>');
  });

  test('deleting the plugin removes its settings', async () => {
    const page = watch(await context.newPage());
    await page.goto(`${wp.url}/wp-admin/plugins.php`);
    await page.getByLabel('Deactivate Photo Finish').click();
    await page.locator('#message', { hasText: 'Plugin deactivated.' }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByLabel('Delete Photo Finish').click();
    await page.getByText('Photo Finish was successfully deleted.').waitFor();
    assert.equal((await wp.php("var_export(get_option('photo_finish_settings'));")).trim(), 'false');
    await page.close();
    assert.doesNotMatch(wp.debugLog(), /photo-finish|photo_finish/i, 'no PHP notice or warning from the plugin');
  });
});
