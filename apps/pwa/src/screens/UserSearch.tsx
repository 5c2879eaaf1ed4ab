import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, errorMessage, type RouterOutputs } from '../api/client';

type Found = RouterOutputs['reporters']['searchUsers']['users'][number];

/** The shortest and longest text the server searches for (reporters.searchUsers). */
export const SEARCH_MIN = 2;
export const SEARCH_MAX = 100;

/** Waits until the text has stood still for `ms`, so a search goes once per pause in typing. */
function useSettled(text: string, ms: number): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), ms);
    return () => clearTimeout(timer);
  }, [text, ms]);
  return settled;
}

/** Why a user found cannot be chosen, or null when they can. */
function unavailable(user: Found): string | null {
  if (user.inRegister) return 'redan rapportör för nämnden';
  if (!user.active) return 'kontot är inaktiverat';
  return null;
}

/**
 * The huvudrapportör's search for the colleague to add: part of a name or username, the users
 * found as a group of radio buttons (those already in the register, or deactivated, shown but not
 * choosable), and a status line that says what the search found. Online only, like the register.
 */
export function UserSearch({
  id,
  namndId,
  text,
  chosen,
  error,
  onText,
  onChoose,
}: {
  /** The form's id, for the ids of the search's parts. */
  id: string;
  namndId: string;
  text: string;
  /** The username chosen, and the name to show for it; '' for none. */
  chosen: { username: string; displayName: string };
  error: string | undefined;
  onText: (text: string) => void;
  onChoose: (user: { username: string; displayName: string }) => void;
}) {
  const settled = useSettled(text.trim(), 300);
  const searchable = settled.length >= SEARCH_MIN && settled.length <= SEARCH_MAX;
  const found = useQuery({
    queryKey: ['reporter-search', namndId, settled],
    queryFn: () => api.reporters.searchUsers.query({ namndId, text: settled }),
    enabled: searchable,
    staleTime: 30_000,
  });
  const users = found.data?.users ?? [];
  const chosenShown = users.some((u) => u.username === chosen.username);
  const hintId = `${id}-search-hint`;
  const statusId = `${id}-search-status`;
  const errorId = `${id}-search-error`;

  let status: string;
  if (text.trim().length < SEARCH_MIN) status = `Skriv minst ${SEARCH_MIN} tecken för att söka.`;
  else if (!searchable || found.isFetching) status = 'Söker…';
  else if (found.isError) status = `Sökningen misslyckades. ${errorMessage(found.error)}`;
  else if (users.length === 0) status = `Ingen användare i dina nämnder matchar ”${settled}”.`;
  else if (found.data?.more) {
    status = `Visar de ${users.length} första som matchar ”${settled}”. Skriv mer av namnet för att hitta fler.`;
  } else {
    status = `${users.length} användare matchar ”${settled}”.`;
  }

  return (
    <div className="field user-search">
      <label htmlFor={`${id}-search`}>Sök användare</label>
      <p className="hint" id={hintId}>
        Skriv en del av namnet eller användarnamnet, minst {SEARCH_MIN} tecken. Du hittar de som har
        en roll i de nämnder du rapporterar för. Saknas personen ber du en administratör skapa
        kontot eller ge en roll i nämnden.
      </p>
      <input
        id={`${id}-search`}
        type="search"
        autoComplete="off"
        spellCheck={false}
        maxLength={SEARCH_MAX}
        value={text}
        data-path="username"
        aria-describedby={[hintId, statusId, error ? errorId : null].filter(Boolean).join(' ')}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onText(e.target.value)}
      />
      <p className="hint user-search-status" id={statusId} role="status">
        {status}
      </p>
      {chosen.username && !chosenShown && (
        <p>
          Vald: <strong>{chosen.displayName}</strong>{' '}
          <span className="admin-username">{chosen.username}</span>
        </p>
      )}
      {users.length > 0 && (
        <fieldset className="choice" aria-describedby={error ? errorId : undefined}>
          <legend>Välj person</legend>
          <div className="choice-options is-stacked">
            {users.map((user) => {
              const why = unavailable(user);
              return (
                <label key={user.userId} className="check">
                  <input
                    type="radio"
                    name={`${id}-user`}
                    value={user.username}
                    checked={chosen.username === user.username}
                    disabled={why !== null}
                    onChange={() =>
                      onChoose({ username: user.username, displayName: user.displayName })
                    }
                  />
                  <span>
                    {user.displayName} <span className="admin-username">{user.username}</span>
                    {why && <span className="user-search-why"> ({why})</span>}
                  </span>
                </label>
              );
            })}
          </div>
        </fieldset>
      )}
      {error && (
        <p className="error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
