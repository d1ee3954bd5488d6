/**
 * Who is signed in: GET /v1/me through the query cache (null when nobody is), and signing out.
 * A session still owing its second factor counts as not signed in yet: the sign-in screen finishes it.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, dataOf, rememberSession, type Me } from '../api/client';

export const ME = ['me'] as const;

export function useMe() {
  return useQuery({
    queryKey: ME,
    queryFn: async (): Promise<Me | null> => {
      try {
        const me = dataOf(await api.GET('/v1/me'));
        rememberSession(me);
        return me;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Infinity,
    retry: false,
  });
}

/** A person fully signed in (password and, where due, the second factor): the app shell takes over. */
export function useSignedIn(): (me: Me) => void {
  const queries = useQueryClient();
  return (me) => {
    rememberSession(me);
    queries.setQueryData(ME, me);
  };
}

/** Ends the session (an already ended one, 401, is signed out all the same) and forgets every cached answer. */
export function useSignOut(): () => Promise<void> {
  const queries = useQueryClient();
  return async () => {
    const answer = await api.DELETE('/v1/session');
    if (!answer.response.ok && answer.response.status !== 401) dataOf(answer);
    rememberSession(null);
    // Every other answer was for this person; `me` itself is kept (its observers stay) and set to nobody.
    queries.removeQueries({ predicate: (query) => query.queryKey[0] !== ME[0] });
    queries.setQueryData(ME, null);
  };
}

export const isSignedIn = (me: Me | null | undefined): me is Me =>
  !!me && me.secondFactor !== 'required' && me.secondFactor !== 'enrolment_required';
