/**
 * The Pay button (and what it charges) held at the bottom of a phone's screen while the form
 * scrolls: CSS `position: sticky`, no script. On a 360 px phone the button otherwise sits
 * more than a screen below the first field.
 */
export function StickyPay({ children }: { children: React.ReactNode }) {
  return (
    <div className="sticky bottom-0 z-10 -mx-4 space-y-2 border-t border-stone-200 bg-white px-4 pt-2 pb-3" data-testid="sticky-pay">
      {children}
    </div>
  );
}
