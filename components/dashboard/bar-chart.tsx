/**
 * Daily bars in plain CSS: server-rendered, no chart library, readable at 360 px. Each bar's
 * title carries the exact figure for hover and screen readers.
 */
export function BarChart({ data, label }: { data: { key: string; value: number; title: string }[]; label: string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  return (
    <div role="img" aria-label={label} className="flex h-32 items-end gap-px" data-testid="daily-volume-chart">
      {data.map((d) => (
        <div key={d.key} title={d.title} className="flex-1 rounded-t bg-brand-700/80" style={{ height: `${Math.max(d.value ? 2 : 0, (d.value / max) * 100)}%` }} data-testid="chart-bar" data-value={d.value} />
      ))}
    </div>
  );
}
