/** The one line that says why a form was refused, announced to screen readers. */
export function FormError({ error }: { error: string | undefined }) {
  return error ? (
    <p role="alert" className="error">
      {error}
    </p>
  ) : null;
}
