/**
 * Next's floor: the smallest App Router page, built with the project's own Next and React
 * (resolved from the project's node_modules) and the same production settings. bench/weight.ts
 * measures it in the same run as the product pages; it never ships in the product.
 */
export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
