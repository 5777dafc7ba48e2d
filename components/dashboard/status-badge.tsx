const TONES: Record<string, string> = {
  paid: "bg-green-100 text-green-800",
  partially_refunded: "bg-amber-100 text-amber-800",
  refunded: "bg-stone-200 text-stone-800",
  failed: "bg-red-100 text-red-800",
  cancelled: "bg-stone-100 text-stone-700",
  expired: "bg-stone-100 text-stone-700",
  open: "bg-sky-100 text-sky-800",
};

/** Colour carries the family (collected, failed, undecided); the label always says the status. */
export function StatusBadge({ status, label }: { status: string; label: string }) {
  return (
    <span className={`inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-semibold ${TONES[status] ?? "bg-sky-100 text-sky-800"}`} data-testid="status-badge" data-status={status}>
      {label}
    </span>
  );
}
