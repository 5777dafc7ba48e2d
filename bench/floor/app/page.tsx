// One short line of text and nothing else: it gives the floor an LCP candidate without any JS.
export default function FloorPage() {
  return <p>floor</p>;
}
