// Log redaction throughput (issue 4: ≥ 50 MB/s). Generates ~50 MB of mixed log lines in memory (logfmt,
// JSON, Java-style, access logs, some prose, ~3% with something to mask), runs one redactor over every
// line and prints MB/s. Standalone: `node --import tsx scripts/bench-redact.ts [megabytes]`.
import { createRedactor } from '../src/kube/logs/redact';

const TARGET_MB = Number(process.argv[2] ?? 50);
const ROUNDS = 3;

/** Deterministic pseudo-random numbers so every run measures the same corpus. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function corpus(bytes: number): string[] {
  const random = prng(42);
  const int = (n: number) => Math.floor(random() * n);
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  const time = () => `2026-05-01T12:${String(int(60)).padStart(2, '0')}:${String(int(60)).padStart(2, '0')}.${int(1000)}Z`;
  const common = [
    () =>
      `level=info ts=${time()} msg="payment accepted" payment_id=${int(1e9)} merchant=m-${int(9999)} amount=${int(1e5) / 100} currency=EUR duration_ms=${int(300)}`,
    () =>
      `{"level":"info","time":"${time()}","msg":"GET /api/v1/payments/${int(1e6)}","status":200,"latency":"${int(90)}ms","trace_id":"${hex(32)}"}`,
    () =>
      `2026-05-01 12:00:${int(60)},${int(1000)} INFO  [http-nio-8080-exec-${int(20)}] c.e.p.PaymentController - Processed payment ${int(1e7)} for merchant ${int(1e4)} in ${int(200)} ms`,
    () => `10.244.${int(255)}.${int(255)} - - [01/May/2026:12:00:00 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.34"`,
    () => `level=debug ts=${time()} msg="ledger entry posted" account=ACC${int(1e8)} order_id=${int(1e15)} balance=${int(1e7) / 100}`,
    () =>
      `W0501 12:00:00.${int(1e6)}       1 reflector.go:561] watch of *v1.Pod ended with: an error on the server has prevented the request`,
    () =>
      `Retrying settlement batch ${int(500)} after the upstream bank gateway answered with a temporary error, attempt ${int(5)} of five`,
  ];
  const sensitive = [
    () => `level=info msg="charge" card=4111 1111 1111 1111 amount=${int(1e4) / 100}`,
    () => `{"msg":"login","user":"u${int(1e4)}","password":"hunter${int(100)}"}`,
    () => `outgoing request Authorization: Bearer ${hex(40)}`,
    () => `token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.${hex(43)}`,
    () => `aws key AKIA${hex(16).toUpperCase()} loaded`,
    () => `wallet restored from abandon ability able about above absent absorb abstract absurd abuse access accident`,
  ];
  const lines: string[] = [];
  let total = 0;
  while (total < bytes) {
    const line = random() < 0.03 ? sensitive[int(sensitive.length)]() : common[int(common.length)]();
    lines.push(line);
    total += Buffer.byteLength(line) + 1;
  }
  return lines;
}

function main(): void {
  const lines = corpus(TARGET_MB * 1024 * 1024);
  const megabytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0) / (1024 * 1024);
  const redact = createRedactor();
  // Warm-up so the JIT has compiled the hot paths before timing.
  for (let i = 0; i < Math.min(lines.length, 20000); i++) redact(lines[i]);

  let best = Infinity;
  let changed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    changed = 0;
    const started = process.hrtime.bigint();
    for (const line of lines) if (redact(line) !== line) changed++;
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
  }
  const rate = megabytes / best;
  console.log(
    `redact: ${megabytes.toFixed(1)} MB, ${lines.length} lines (${changed} masked) in ${(best * 1000).toFixed(0)} ms (best of ${ROUNDS}): ${rate.toFixed(1)} MB/s (target ≥ 50 MB/s)`,
  );
}

main();
