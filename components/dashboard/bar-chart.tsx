export type Bar = { key: string; value: number; day: string; dayShort: string; valueText: string };

/**
 * Daily bars in plain CSS: server-rendered, no chart library, readable at 360 px. A scale on the
 * left edge (0, half and the top of the scale, in money), the first, middle and last days under
 * the bars, and the period's total and best day written out. The figures themselves are a real
 * table in a <details> under the chart: every day and amount for whoever cannot see the bars
 * (screen readers read it, sighted people may open it).
 */
export function BarChart({ data, labels, scale }: { data: Bar[]; labels: { chart: string; summary: string; table: string; day: string; value: string }; scale: { top: number; ticks: string[] } }) {
  const top = Math.max(1, scale.top);
  const ticks = [...scale.ticks].reverse();
  const axisDays = data.length > 2 ? [data[0]!, data[Math.floor((data.length - 1) / 2)]!, data.at(-1)!] : data;
  return (
    <figure>
      <figcaption className="mb-2 text-sm text-stone-700" data-testid="chart-summary">
        {labels.summary}
      </figcaption>
      {/* Two columns: the scale, then the bars over the days; the days line up under the bars whatever the labels' width. */}
      <div className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-1">
        {/* The scale: three labels spread over the chart's height, each centred on its line (-my-2 lets the end ones reach the edges). */}
        <div className="-my-2 flex h-40 shrink-0 flex-col justify-between text-right text-[11px] leading-4 text-stone-600" aria-hidden="true">
          {ticks.map((tick, i) => (
            <span key={i} className="whitespace-nowrap" data-testid="chart-tick">
              {tick}
            </span>
          ))}
        </div>
        <div className="relative h-36 border-b border-l border-stone-400" role="img" aria-label={`${labels.chart}. ${labels.summary}`} data-testid="daily-volume-chart">
          {ticks.slice(0, -1).map((_, i) => (
            <div key={i} className="absolute inset-x-0 border-t border-dashed border-stone-200" style={{ top: `${(i / (ticks.length - 1)) * 100}%` }} aria-hidden="true" />
          ))}
          <div className="absolute inset-0 flex items-end gap-px px-px">
            {data.map((d) => (
              <div key={d.key} title={`${d.day} · ${d.valueText}`} className="flex-1 rounded-t bg-brand-700/80" style={{ height: `${Math.max(d.value ? 2 : 0, (d.value / top) * 100)}%` }} data-testid="chart-bar" data-value={d.value} />
            ))}
          </div>
        </div>
        <div className="col-start-2 mt-1 flex justify-between text-[11px] text-stone-600" aria-hidden="true" data-testid="chart-days">
          {axisDays.map((d) => (
            <span key={d.key}>{d.dayShort}</span>
          ))}
        </div>
      </div>
      <details className="mt-2" data-testid="chart-table">
        <summary className="flex min-h-11 cursor-pointer items-center text-sm text-brand-700 underline">{labels.table}</summary>
        <table className="mt-1 w-full text-left text-sm">
          <caption className="sr-only">{labels.chart}</caption>
          <thead className="text-xs text-stone-600">
            <tr>
              <th scope="col" className="py-1 font-semibold">{labels.day}</th>
              <th scope="col" className="py-1 text-right font-semibold">{labels.value}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {data.map((d) => (
              <tr key={d.key} data-testid="chart-row" data-value={d.value}>
                <th scope="row" className="py-1 font-normal">{d.day}</th>
                <td className="py-1 text-right tabular-nums">{d.valueText}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** The top of the scale: the largest value rounded up to 1, 2 or 5 times a power of ten, so the ticks read as round sums. */
export function niceTop(max: number): number {
  if (max <= 0) return 0;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((m) => m * power >= max)!;
  return step * power;
}
