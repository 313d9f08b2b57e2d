// Reads one JUnit report with each JUnit reader from npm that tools/package.json pins, and
// checks what each shows against conform's own counts: every reader must agree on the verdict
// (red when a case failed or erred), and on each count it can show (the README's table of
// readers says which). usage: node junit_readers.mjs TOOLS_DIR REPORT.xml EXTENDED.xml
//   "TESTS PASSED FAILED ERRORS SKIPPED" [every-suite-red]
// every-suite-red (an interrupted run): each reader must show each suite as not passed.
// REPORT is the portable form, EXTENDED the same run in --junit-form extended (which adds
// skipped to <testsuites>, where test-results-parser takes its totals from).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [tools, report, extended, counts, mode] = process.argv.slice(2);
const everySuiteRed = mode === 'every-suite-red';
const [tests, passed, failed, errors, skipped] = counts.split(' ').map(Number);
const red = failed + errors > 0;
const require = createRequire(path.join(tools, 'package.json'));
const bin = (name) => path.join(tools, 'node_modules', '.bin', name);
const run = (name, args) => execFileSync(bin(name), args, { encoding: 'utf8', timeout: 120000, stdio: 'pipe' });
let problems = 0;

function expect(reader, what, got, want) {
  const ok = JSON.stringify(got) === JSON.stringify(want);
  if (!ok) {
    problems++;
  }
  console.log(`${ok ? 'ok' : 'FAIL'}: ${reader}: ${what}: ${JSON.stringify(got)}${ok ? '' : `, expected ${JSON.stringify(want)}`}`);
}

// junit-viewer: its own tally of test cases, and a suite typed "failure" when one of its cases did not pass.
{
  const parsed = require('junit-viewer').parse(report);
  const t = parsed.junit_info.tests;
  expect('junit-viewer', 'tests passed failed errors skipped', [t.count, t.passed ?? 0, t.failure ?? 0, t.error ?? 0, t.skipped ?? 0],
         [tests, passed, failed, errors, skipped]);
  expect('junit-viewer', 'red', parsed.suites.some((s) => s.type === 'failure'), red);
  if (everySuiteRed) {
    expect('junit-viewer', 'every suite red', parsed.suites.every((s) => s.type === 'failure'), true);
  }
}

// junit2json: the document as JSON; counted here by the result element each testcase holds.
{
  const doc = JSON.parse(run('junit2json', [report]));
  const cases = (doc.testsuite ?? []).flatMap((s) => s.testcase ?? []);
  const with_ = (k) => cases.filter((c) => c[k] !== undefined).length;
  expect('junit2json', 'tests passed failed errors skipped',
         [cases.length, cases.filter((c) => !c.failure && !c.error && !c.skipped).length, with_('failure'), with_('error'), with_('skipped')],
         [tests, passed, failed, errors, skipped]);
  expect('junit2json', 'suite totals (tests failures errors)', [doc.tests, doc.failures, doc.errors], [tests, failed, errors]);
  if (everySuiteRed) {
    expect('junit2json', 'every suite red', doc.testsuite.every((s) => s.testcase.some((c) => c.failure || c.error)), true);
  }
}

// test-results-parser (behind testbeats): totals from <testsuites>, so skips only in the extended form;
// its "total" leaves the skipped out. And no case may carry an attachment an endpoint named.
{
  const { parse } = require('test-results-parser');
  for (const [form, file] of [['portable', report], ['extended', extended]]) {
    const r = parse({ type: 'junit', files: [file] });
    const want = form === 'extended' ? [tests - skipped, passed, failed, errors, skipped]
                                     : [tests, passed + skipped, failed, errors, 0];
    expect(`test-results-parser (${form})`, 'total passed failed errors skipped', [r.total, r.passed, r.failed, r.errors, r.skipped], want);
    expect(`test-results-parser (${form})`, 'status', r.status, red ? 'FAIL' : 'PASS');
    if (everySuiteRed) {
      expect(`test-results-parser (${form})`, 'every suite red', r.suites.every((x) => x.status === 'FAIL'), true);
    }
    const attachments = r.suites.flatMap((s) => s.cases).flatMap((c) => c.attachments ?? []);
    expect(`test-results-parser (${form})`, 'attachments', attachments, []);
  }
}

// junit-to-ctrf: the CTRF summary; errors are failed there.
{
  const out = path.join(path.dirname(report), path.basename(report, '.xml') + '.ctrf.json');
  run('junit-to-ctrf', [report, '-o', out]);
  const results = JSON.parse(readFileSync(out, 'utf8')).results;
  const s = results.summary;
  expect('junit-to-ctrf', 'tests passed failed skipped', [s.tests, s.passed, s.failed, s.skipped], [tests, passed, failed + errors, skipped]);
  if (everySuiteRed) {
    const suites = new Set(results.tests.map((t) => t.suite.join('/')));
    const redSuites = new Set(results.tests.filter((t) => t.status === 'failed').map((t) => t.suite.join('/')));
    expect('junit-to-ctrf', 'every suite red', redSuites.size === suites.size, true);
  }
}

// junit-cli-report-viewer: a line per suite, PASS / FAIL / SKIP from the suite's counts, and the
// totals; an <error> case gets a tick there (it marks <failure> only), its suite FAIL.
{
  const text = run('junit-cli-report-viewer', [report]).replace(/\x1b\[[0-9;]*m/g, '');
  const total = Number(/Total number of tests:\s+(\d+)/.exec(text)?.[1]);
  const failures = Number(/Total number of failed tests:\s+(\d+)/.exec(text)?.[1]);
  expect('junit-cli-report-viewer', 'tests failed', [total, failures], [tests, failed]);
  const suites = [...text.matchAll(/^ (PASS|FAIL|SKIP) /gm)].map((m) => m[1]);
  expect('junit-cli-report-viewer', 'red', suites.includes('FAIL'), red);
  if (everySuiteRed) {
    expect('junit-cli-report-viewer', 'every suite red', suites.every((x) => x === 'FAIL'), true);
  }
  expect('junit-cli-report-viewer', 'no [object Object]', text.includes('[object Object]'), false);
}

process.exit(problems ? 1 : 0);
