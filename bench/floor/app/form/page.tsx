// The floor for "time to a submittable form": the smallest page with a server-action form (what a
// tap on its button would post works before hydration, as React renders the action's fields into
// the HTML). bench/weight.ts waits for the same condition on it as on the checkout.
async function submit(formData: FormData) {
  "use server";
  void formData;
}

export default function FloorFormPage() {
  return (
    <form action={submit}>
      <input name="name" aria-label="name" />
      <button type="submit">Pay</button>
    </form>
  );
}
