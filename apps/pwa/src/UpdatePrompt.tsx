/** Tells that a new version of evb is waiting and lets the user switch to it now or later. */
export function UpdatePrompt({ onUpdate, onLater }: { onUpdate: () => void; onLater: () => void }) {
  return (
    <section className="update" role="status" aria-label="Ny version">
      <p>En ny version finns.</p>
      <div className="update-actions">
        <button type="button" className="button-primary" onClick={onUpdate}>
          Uppdatera
        </button>
        <button type="button" className="button-secondary" onClick={onLater}>
          Senare
        </button>
      </div>
    </section>
  );
}
