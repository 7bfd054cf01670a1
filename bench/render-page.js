// Runs inside the benchmarked page (added by bench/render.ts as an init script, outside the
// page's CSP): records when 200 rows are on screen and the long tasks, and drives the filter and
// "Knock all" while timing frames.
(() => {
  const bench = { rowsAt: undefined, longTasks: [] };
  window.sesameBench = bench;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver(() => {
    if (bench.rowsAt === undefined && document.querySelectorAll('.server-row').length >= 200)
      bench.rowsAt = performance.now();
  }).observe(document, { childList: true, subtree: true });

  const untilFrame = (done) =>
    new Promise((resolve) => {
      const frame = (now) => (done(now) ? resolve(now) : requestAnimationFrame(frame));
      requestAnimationFrame(frame);
    });
  const type = (input, text) => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };

  /** One keystroke in the filter until the matching rows are on screen. */
  bench.filter = async (text, expected) => {
    const input = document.querySelector('input[type="search"]');
    const start = performance.now();
    type(input, text);
    await untilFrame(() => document.querySelectorAll('.server-row').length === expected);
    const took = performance.now() - start;
    type(input, '');
    return took;
  };

  /** Clicks "Knock all" and watches every frame until every badge says "Knocked". */
  bench.knockAll = async (count) => {
    bench.longTasks = [];
    const button = [...document.querySelectorAll('button')].find(
      (b) => b.textContent.trim() === 'Knock all',
    );
    const start = performance.now();
    let last = start;
    let worst = 0;
    let sawKnocking = false;
    button.click();
    const end = await untilFrame((now) => {
      worst = Math.max(worst, now - last);
      last = now;
      const states = [...document.querySelectorAll('.badge')].map((b) => b.dataset.state);
      sawKnocking ||= states.includes('knocking');
      return sawKnocking && states.length === count && states.every((s) => s === 'knocked');
    });
    return { took: end - start, worst, long: bench.longTasks.length };
  };
})();
