// Checks in a real browser whether the quote links' text fragments (src/reply/quoteLink.ts) find the
// highlighted sentences: the dev questions are answered from the built index, the seed files are served as
// plain text, and each link to a top-three result's highlighted sentence is opened in Chromium in a window
// 300 pixels high. A found fragment scrolls the page; one not found leaves it at the top. The whole sentence
// as the fragment is measured beside it.
//
// Not part of the tests (it needs a browser): `apt-get install chromium`, `npm install --no-save playwright-core`,
// then `npx tsx scripts/probeQuoteLinks.ts` (about two minutes).
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openEngine } from '../src/cli/openEngine.js';
import { loadConfigFromEnvironment } from '../src/config/loadEnv.js';
import { quoteLink } from '../src/reply/quoteLink.js';
import { highlightedText } from '../src/reply/quoteSegments.js';

interface Page {
  goto(url: string): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
  /** An expression, evaluated in the page (a string, so that this file needs no DOM types). */
  evaluate(expression: string): Promise<unknown>;
  close(): Promise<void>;
}
interface Browser {
  newPage(options: { viewport: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

const VIEWPORT = { width: 800, height: 300 };
const playwright = 'playwright-core';
const { chromium } = (await import(playwright)) as { chromium: { launch(options: object): Promise<Browser> } };

const config = loadConfigFromEnvironment();
const engine = await openEngine(config);
const questions = readFileSync('eval/dev.jsonl', 'utf8').trim().split('\n').map((line) => JSON.parse(line).q as string);
const sentences = new Map<string, { source: string; sentence: string }>();
for (const question of questions) {
  for (const result of (await engine.ask(question, { k: 3 })).results) {
    const sentence = highlightedText(result);
    sentences.set(`${result.source}\n${sentence}`, { source: result.source, sentence });
  }
}
await engine.dispose();

const server = http.createServer((request, response) => {
  let body: Buffer;
  try {
    body = readFileSync(path.join(config.docsDir, decodeURIComponent((request.url ?? '/').slice(1))));
  } catch {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });

const wholeSentence = (url: string, sentence: string) => `${url}#:~:text=${encodeURIComponent(sentence.replace(/\s+/gu, ' ').trim()).replace(/-/g, '%2D')}`;
const tally = { link: { found: 0, firstScreen: 0, missed: 0 }, whole: { found: 0, firstScreen: 0, missed: 0 } };
let missedInRaw = 0;
for (const { source, sentence } of sentences.values()) {
  for (const variant of ['link', 'whole'] as const) {
    const url = variant === 'link' ? quoteLink(base + source, sentence) : wholeSentence(base + source, sentence);
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(url);
    await page.waitForTimeout(300);
    const scrolled = Number(await page.evaluate('window.scrollY'));
    // Where the sentence's first characters are, when the raw file has them on one line: on the first screen, nothing scrolls.
    const needle = JSON.stringify([...sentence.trim()].slice(0, 6).join(''));
    const top = Number(
      await page.evaluate(`(() => {
        const text = document.querySelector('pre')?.firstChild;
        const at = text instanceof Text ? text.data.indexOf(${needle}) : -1;
        if (at < 0) return -1;
        const range = document.createRange();
        range.setStart(text, at);
        range.setEnd(text, at + ${needle}.length);
        return range.getBoundingClientRect().top;
      })()`),
    );
    await page.close();
    const outcome = scrolled > 0 ? 'found' : top >= 0 && top < VIEWPORT.height - 50 ? 'firstScreen' : 'missed';
    tally[variant][outcome]++;
    if (variant === 'link' && outcome === 'missed') {
      const raw = readFileSync(path.join(config.docsDir, source), 'utf8');
      const parts = decodeURIComponent(url.slice(url.indexOf(':~:text=') + 8)).split(',');
      if (parts.every((part) => raw.includes(part))) missedInRaw++;
      else console.log(`broken across lines in the raw file: ${source} ${sentence.trim().slice(0, 40)}…`);
    }
  }
}
await browser.close();
server.close();
console.log(`${sentences.size} highlighted sentences`);
console.log(`quote links:     ${JSON.stringify(tally.link)} (missed although the raw file has each part on one line: ${missedInRaw})`);
console.log(`whole sentences: ${JSON.stringify(tally.whole)}`);
