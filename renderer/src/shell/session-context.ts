// The signed-in person, for the few components deep in a page that need their roles.
import { createContext, useContext } from 'react';
import type { SessionInfo } from '../App';

export const SessionContext = createContext<SessionInfo | null>(null);

export function useSession(): SessionInfo | null {
  return useContext(SessionContext);
}
