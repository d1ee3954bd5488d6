/**
 * The person behind a single sign-on (issue 15): found by the provider's issuer and subject, or
 * created then, with no password, in the agency the provider's claim maps to. The provider is
 * the authority on which agency a person works for: when its claim moves them, they move (and
 * the audit trail says so). A person with a password and the same email is not taken over: an
 * email asserted by a provider is not proof that its holder is that person.
 */
import { randomUUID } from 'node:crypto';
import { inTransaction, type Pool } from '../db/pool.js';
import { forbidden } from './problem.js';
import { auditUserChange } from './users.js';

export interface SsoIdentity {
  issuer: string;
  subject: string;
  email: string;
  name: string;
  agencyId: string;
}

/** Changes made when a provider signs a person in: theirs, not an operator's. */
const PROVIDER = { role: 'identity_provider', userId: null };

/** The person's user ID, or a 403 when they are disabled or cannot be created. */
export function ssoPerson(pool: Pool, identity: SsoIdentity): Promise<string> {
  return inTransaction(pool, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM agencies WHERE id = $1', [identity.agencyId]);
    if (rowCount === 0) throw forbidden(`The identity provider's group maps to the unknown agency ${identity.agencyId} (OIDC_AGENCY_MAP)`);
    const { rows } = await client.query<{ id: string; agency_id: string; disabled: boolean }>(
      'SELECT id, agency_id, disabled FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2 FOR UPDATE',
      [identity.issuer, identity.subject],
    );
    const known = rows[0];
    if (known?.disabled) throw forbidden('This account is disabled');
    if (known) {
      if (known.agency_id !== identity.agencyId) {
        await client.query('UPDATE users SET agency_id = $2, updated_at = now() WHERE id = $1', [known.id, identity.agencyId]);
        await client.query('DELETE FROM sessions WHERE user_id = $1', [known.id]);
        await auditUserChange(client, 'user.agency_changed', known.id, identity.agencyId, PROVIDER);
      }
      return known.id;
    }
    const userId = `user_${randomUUID()}`;
    await client
      .query('INSERT INTO users (id, agency_id, email, name, oidc_issuer, oidc_subject) VALUES ($1, $2, $3, $4, $5, $6)', [
        userId,
        identity.agencyId,
        identity.email,
        identity.name,
        identity.issuer,
        identity.subject,
      ])
      .catch((error: { code?: string; constraint?: string }) => {
        if (error.code === '23505' && error.constraint === 'users_email_unique') {
          throw forbidden('A person with this email already signs in with a password: single sign-on does not take their account over');
        }
        throw error;
      });
    await auditUserChange(client, 'user.added', userId, identity.agencyId, PROVIDER);
    return userId;
  });
}
