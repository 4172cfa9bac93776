#!/usr/bin/env node
// Validates eval/dev.jsonl, eval/heldout.jsonl, eval/short-dev.jsonl,
// eval/short-heldout.jsonl, eval/typos.jsonl and eval/names.jsonl against the seed documents.
// Also checks the shape of eval/unanswerable.jsonl.
// Usage: node eval/check.mjs        (exit code 1 on any error)
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const seedsDir = join(here, "..", "seeds");

const DOCS = [
  "000_b4ceb1ba5bf677ed.txt",
  "001_608609587f51d4a8.txt",
  "002_e0fab9a72e75f6d7.txt",
  "003_825414b16639d9fb.txt",
  "004_0fddcf1d109b1153.txt",
];
const LANGS = ["zh-Hans", "zh-Hant", "en"];
const KINDS = ["fact", "number", "name", "paraphrase", "interleaved", "wrapped"];
const FIELDS = ["id", "q", "lang", "doc", "answer", "kind"];

// answered question sets: id pattern, allowed kinds, minimum rows,
// and (short sets only) the longest question allowed: letters/digits for zh, words for en
const SETS = [
  { name: "dev.jsonl", idRe: /^dev-\d{3}$/, kinds: KINDS, min: 100 },
  { name: "heldout.jsonl", idRe: /^heldout-\d{3}$/, kinds: KINDS, min: 50 },
  { name: "short-dev.jsonl", idRe: /^short-dev-\d{3}$/, kinds: ["short"], min: 18, maxQ: { zh: 12, en: 8 } },
  { name: "short-heldout.jsonl", idRe: /^short-heldout-\d{3}$/, kinds: ["short"], min: 12, maxQ: { zh: 12, en: 8 } },
  // dev questions with one typing slip each: the same evidence on purpose, a robustness check, not a held-out set
  { name: "typos.jsonl", idRe: /^typo-\d{3}$/, kinds: ["typo"], min: 12 },
  // a name the documents mention and nothing else ("谁是黎军？", "徐咏"): what a reader sees of it, answer or mentions
  { name: "names.jsonl", idRe: /^name-\d{3}$/, kinds: ["lookup"], min: 12 },
];
// held-out set -> sets whose evidence sentences it must not reuse.
// short-dev is used for tuning, so it must not reuse heldout evidence either.
const DISJOINT = {
  "heldout.jsonl": ["dev.jsonl"],
  "short-heldout.jsonl": ["short-dev.jsonl", "dev.jsonl", "heldout.jsonl"],
  "short-dev.jsonl": ["heldout.jsonl"],
};

const strip = (s) => s.replace(/\s+/gu, "");
const docText = {};
for (const d of DOCS) docText[d] = strip(readFileSync(join(seedsDir, d), "utf8"));

const errors = [];
const warnings = [];
const err = (m) => errors.push(m);
const warn = (m) => warnings.push(m);

const ids = new Map(); // id -> file
const questions = new Map(); // normalised q -> where

function readJsonl(name) {
  const path = join(here, name);
  if (!existsSync(path)) {
    err(`${name}: file missing`);
    return [];
  }
  const rows = [];
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return; // tolerate trailing newline / blank lines
      try {
        rows.push({ row: JSON.parse(line), where: `${name}:${i + 1}` });
      } catch (e) {
        err(`${name}:${i + 1}: invalid JSON (${e.message})`);
      }
    });
  return rows;
}

function checkCommon(row, where, fields, idRe) {
  if (row === null || typeof row !== "object" || Array.isArray(row)) {
    err(`${where}: not a JSON object`);
    return false;
  }
  for (const f of fields) {
    if (typeof row[f] !== "string" || row[f].trim() === "") err(`${where}: field "${f}" missing or empty`);
  }
  for (const k of Object.keys(row)) if (!fields.includes(k)) err(`${where}: unexpected field "${k}"`);
  if (typeof row.id === "string") {
    if (ids.has(row.id)) err(`${where}: duplicate id "${row.id}" (also in ${ids.get(row.id)})`);
    else ids.set(row.id, where);
    if (idRe && !idRe.test(row.id)) err(`${where}: id "${row.id}" does not match ${idRe}`);
  }
  if (typeof row.lang === "string" && !LANGS.includes(row.lang)) err(`${where}: invalid lang "${row.lang}"`);
  if (typeof row.q === "string") {
    const nq = strip(row.q).toLowerCase();
    if (questions.has(nq)) err(`${where}: duplicate question (also ${questions.get(nq)})`);
    else questions.set(nq, where);
  }
  return true;
}

// sentence of the (stripped) document containing the answer, for overlap warnings
function sentenceOf(doc, ans) {
  const t = docText[doc];
  const p = t.indexOf(ans);
  if (p < 0) return null;
  const isEnd = (c) => "。！？!?…<>".includes(c);
  let a = p;
  while (a > 0 && !isEnd(t[a - 1])) a--;
  let b = p + ans.length;
  while (b < t.length && !isEnd(t[b])) b++;
  return t.slice(a, b);
}

const stats = {};
const evidence = {}; // file -> Set of doc|sentence

// question length: letters/digits for zh-Hans/zh-Hant, words for en
const qLength = (q, lang) =>
  lang === "en" ? q.trim().split(/\s+/u).length : [...q].filter((c) => /[\p{L}\p{N}]/u.test(c)).length;

for (const { name, idRe, kinds, maxQ } of SETS) {
  const rows = readJsonl(name);
  const s = (stats[name] = { total: 0, lang: {}, kind: {}, doc: {}, kinds });
  evidence[name] = new Map();
  for (const { row, where } of rows) {
    if (!checkCommon(row, where, FIELDS, idRe)) continue;
    s.total++;
    s.lang[row.lang] = (s.lang[row.lang] || 0) + 1;
    s.kind[row.kind] = (s.kind[row.kind] || 0) + 1;
    s.doc[row.doc] = (s.doc[row.doc] || 0) + 1;
    if (!kinds.includes(row.kind)) err(`${where}: invalid kind "${row.kind}"`);
    if (maxQ && typeof row.q === "string" && LANGS.includes(row.lang)) {
      const max = row.lang === "en" ? maxQ.en : maxQ.zh;
      const n = qLength(row.q, row.lang);
      if (n > max) warn(`${where}: question too long for a short set (${n} > ${max} ${row.lang === "en" ? "words" : "characters"})`);
    }
    if (!DOCS.includes(row.doc)) {
      err(`${where}: invalid doc "${row.doc}"`);
      continue;
    }
    if (typeof row.answer !== "string") continue;
    const ans = strip(row.answer);
    if (/[<>]/.test(ans)) err(`${where}: answer contains < or >`);
    if (/[。！？]/.test(ans)) err(`${where}: answer spans a sentence end (。！？)`);
    if (!docText[row.doc].includes(ans)) {
      err(`${where}: answer "${row.answer}" not found in ${row.doc}`);
      continue;
    }
    if (ans.length < 2 || ans.length > 40) warn(`${where}: answer length ${ans.length}`);
    const others = DOCS.filter((d) => d !== row.doc && docText[d].includes(ans));
    if (others.length) warn(`${where}: answer also occurs in ${others.join(", ")}`);
    const sent = sentenceOf(row.doc, ans);
    evidence[name].set(`${row.doc}|${sent}`, where);
  }
}

// held-out evidence sentences should not repeat the evidence sentences of the sets they are compared with
for (const [name, againstList] of Object.entries(DISJOINT)) {
  if (!evidence[name]) continue;
  for (const against of againstList) {
    if (!evidence[against]) continue;
    for (const [key, where] of evidence[name]) {
      if (evidence[against].has(key)) warn(`${where}: same evidence sentence as ${evidence[against].get(key)}`);
    }
  }
}

// unanswerable.jsonl: shape only
{
  const name = "unanswerable.jsonl";
  const rows = readJsonl(name);
  const s = (stats[name] = { total: 0, lang: {} });
  for (const { row, where } of rows) {
    if (!checkCommon(row, where, ["id", "q", "lang"], /^un-\d{3}$/)) continue;
    s.total++;
    s.lang[row.lang] = (s.lang[row.lang] || 0) + 1;
  }
}

const fmt = (o) =>
  Object.entries(o)
    .sort()
    .map(([k, v]) => `${k}=${v}`)
    .join("  ");
for (const [name, s] of Object.entries(stats)) {
  console.log(`${name}: ${s.total} rows`);
  console.log(`  lang: ${fmt(s.lang)}`);
  if (s.kind) console.log(`  kind: ${fmt(s.kind)}`);
  if (s.doc) console.log(`  doc:  ${fmt(Object.fromEntries(Object.entries(s.doc).map(([k, v]) => [k.slice(0, 3), v])))}`);
  if (s.kinds && s.kinds.includes("paraphrase")) {
    const p = s.kind.paraphrase || 0;
    console.log(`  paraphrase share: ${((100 * p) / (s.total || 1)).toFixed(1)}%`);
  }
}

for (const { name, min } of SETS) {
  if (stats[name].total < min) err(`${name}: only ${stats[name].total} rows (< ${min})`);
}
if (stats["unanswerable.jsonl"].total < 30) err(`unanswerable.jsonl: only ${stats["unanswerable.jsonl"].total} rows (< 30)`);

for (const w of warnings) console.log(`WARN  ${w}`);
for (const e of errors) console.log(`ERROR ${e}`);
console.log(errors.length ? `FAIL: ${errors.length} error(s), ${warnings.length} warning(s)` : `OK: 0 errors, ${warnings.length} warning(s)`);
process.exit(errors.length ? 1 : 0);
