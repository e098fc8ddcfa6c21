import {
  salesforceCase as encodeCase, salesforceCaseComment, salesforceCaseHistory, salesforceContact as encodeContact, salesforceEmailMessage, sfId,
} from '@helpdesk/ingest/encoders';
import { interactionIdOf, nativeIdOf, sourceOfRef } from '../interaction-ids.ts';
import type { Conversation, EventRow, IdentityRow, InteractionRow } from '../rows.ts';

/**
 * The demo's helpdesk as a Salesforce Service Cloud org instead of Zendesk (`helpdesk: 'salesforce'`):
 * each email or social ticket is a Case with its CaseHistory (status and owner changes),
 * EmailMessages (email: the customer's incoming mail, the agents' outgoing replies), CaseComments
 * (internal notes unpublished; on social cases every post, as published comments, the customer's
 * by the org's social integration user) and each ticket requester a Contact, all as the SOQL query
 * resource returns them. The Salesforce adapter derives statuses, reopens, first response, the
 * queue at resolution and the outcome columns from exactly these rows, as it would for a real org.
 *
 * Ids keep the Zendesk numbers inside Salesforce's 18-character form: ticket 1204123 is Case
 * `500RO0000001204123`, Zendesk user (agent) n is User `005RO<n>`, end user n Contact `003RO<n>`,
 * the k-th Zendesk group Group `00GRO<k>` (a queue).
 */

const pad = sfId;

/** The demo's email and social queues (Zendesk groups) as Salesforce queues, numbered as Zendesk's groups are. */
const queueNumbers: Record<string, number> = {
  'zendesk:group:email-de': 1, 'zendesk:group:email-en': 2, 'zendesk:group:email-fr': 3, 'zendesk:group:billing': 4,
  'zendesk:group:tech': 5, 'zendesk:group:premium': 6, 'zendesk:group:social': 7,
};
/** The org's integration user that posts what customers write on social networks (not an agent). */
const SOCIAL_INTEGRATION_USER = pad('005', '9999999999999');

const caseNative = (ref: number) => pad('500', nativeIdOf(ref));
/** A generator owner (agent or queue) as the Salesforce User or Group id that owns the case. */
function ownerId(id: string | null): string | null {
  if (id === null) return null;
  if (id.startsWith('zendesk:agent:')) return pad('005', id.slice('zendesk:agent:'.length));
  if (id in queueNumbers) return pad('00G', queueNumbers[id]);
  return null;
}
const contactNative = (id: string | null) => (id?.startsWith('zendesk:user:') ? pad('003', id.slice('zendesk:user:'.length)) : null);

/**
 * The contact id the Salesforce adapter gives a ticket requester of the generator (unchanged for
 * anything else): what the world knows of that person under their Zendesk user (CRM link, order
 * numbers, ground truth) moves to the Contact.
 */
export function salesforceContactId(id: string): string {
  const native = contactNative(id);
  return native ? `salesforce:contact:${native}` : id;
}

/** SQL for `salesforceContactId` over a column. */
export const salesforceContactIdSql = (column: string) =>
  `CASE WHEN ${column} LIKE 'zendesk:user:%' THEN 'salesforce:contact:003RO' || lpad(substr(${column}, 14), 13, '0') ELSE ${column} END`;

/** The id the Salesforce adapter gives an interaction of the generator: tickets are cases, the rest keep theirs. */
export function salesforceInteractionId(ref: number): string {
  return sourceOfRef(ref) === 'zendesk' ? `salesforce:case:${caseNative(ref)}` : interactionIdOf(ref);
}

/** SQL turning a Zendesk ticket's interaction id (`zendesk:1204123`) into its case's; other ids pass. */
export const salesforceInteractionIdSql = (column: string) =>
  `CASE WHEN regexp_full_match(${column}, 'zendesk:[0-9]+') THEN 'salesforce:case:500RO' || lpad(substr(${column}, 9), 13, '0') ELSE ${column} END`;

/** The id the Salesforce adapter gives an agent or queue of the generator (unchanged for anything else). */
export function salesforceCanonicalId(id: string): string {
  if (id.startsWith('zendesk:agent:')) return `salesforce:agent:${ownerId(id)}`;
  if (id in queueNumbers) return `salesforce:queue:${ownerId(id)}`;
  return id;
}

/** Events of a ticket that the case's rows carry (a reopen the adapter derives from the status history). */
export const salesforceEventTypes = new Set(['message', 'status_change', 'assignment', 'transfer', 'reopen']);

/** Our statuses as the org's Case Status picklist values (solved and closed are both Closed). */
const statusName: Record<string, string> = { new: 'New', open: 'Working', pending: 'Waiting on Customer', solved: 'Closed', closed: 'Closed' };
const priorityName: Record<InteractionRow['priority'], string> = { low: 'Low', normal: 'Medium', high: 'High', urgent: 'Urgent' };

export interface SalesforceCaseRecords {
  case: Record<string, unknown>;
  history: Record<string, unknown>[];
  emails: Record<string, unknown>[];
  comments: Record<string, unknown>[];
}

/**
 * A demo email or social ticket as a Case and its child rows. The case starts owned by the queue
 * it was first routed to (an agent-created follow-up by its agent); each assignment and transfer
 * is an Owner history row from the owner of the moment, each status change a Status row (solved
 * then closed is one Closed), each message an email or a comment.
 */
export function salesforceCase(conversation: Conversation): SalesforceCaseRecords {
  const it = conversation.interaction;
  const Id = caseNative(it.ref);
  const social = it.channel === 'social';
  const history: Record<string, unknown>[] = [];
  const emails: Record<string, unknown>[] = [];
  const comments: Record<string, unknown>[] = [];
  const firstTransfer = conversation.events.find((e) => e.type === 'transfer');
  let owner = it.direction === 'outbound' ? ownerId(it.agent_id) : ownerId(firstTransfer?.from_value ?? it.queue_id);
  const childId = (prefix: string, e: EventRow) => pad(prefix, `${nativeIdOf(it.ref)}${String(e.seq).padStart(3, '0')}`);
  const row = (e: EventRow, Field: string, OldValue: unknown, NewValue: unknown, DataType: string, by: string | null) => {
    history.push(salesforceCaseHistory({ id: childId('017', e), caseId: Id, field: Field, dataType: DataType, oldValue: OldValue, newValue: NewValue, by, at: e.occurred_at }));
  };
  for (const e of conversation.events) {
    const at = e.occurred_at;
    const by = e.author_role === 'agent' ? ownerId(e.author_id) : null;
    if (e.type === 'assignment' || e.type === 'transfer') {
      const to = ownerId(e.to_value);
      if (!to || to === owner) continue;
      // An assignment is the agent taking the case (the history row is theirs).
      row(e, 'Owner', owner, to, 'EntityId', by ?? (e.type === 'assignment' ? to : null));
      owner = to;
    } else if (e.type === 'status_change' && e.to_value) {
      const from = statusName[e.from_value ?? 'new'] ?? 'New';
      const to = statusName[e.to_value];
      if (!to || to === from) continue;
      row(e, 'Status', from, to, 'DynamicEnum', by);
    } else if (e.type === 'message') {
      const agent = e.author_role === 'agent';
      if (!social && e.is_public !== false && (agent || e.author_role === 'customer')) {
        const mailId = childId('02s', e);
        emails.push(salesforceEmailMessage({
          id: mailId, parentId: Id, incoming: !agent, messageAt: at, status: agent ? '3' : '1',
          // The customer's address is the Contact's (the conversation does not carry it).
          subject: it.subject, textBody: e.body, fromAddress: agent ? 'support@larkspur.example' : null, toAddress: agent ? null : 'support@larkspur.example',
          createdById: agent ? by : null, createdAt: at, modifiedAt: at,
        }));
      } else {
        const commentId = childId('00a', e);
        comments.push(salesforceCaseComment({
          id: commentId, parentId: Id, isPublished: e.is_public !== false, body: e.body, createdById: agent ? by : SOCIAL_INTEGRATION_USER, createdAt: at, modifiedAt: at,
        }));
      }
    }
  }
  const closed = it.status === 'solved' || it.status === 'closed';
  return {
    case: encodeCase({
      id: Id, caseNumber: nativeIdOf(it.ref), subject: it.subject, status: statusName[it.status] ?? 'New', isClosed: closed,
      closedAt: closed && it.resolved_at !== null ? it.resolved_at : null, isEscalated: false, priority: priorityName[it.priority],
      origin: social ? 'Social' : 'Email', type: null, reason: null, ownerId: owner, contactId: contactNative(it.contact_id), accountId: null, parentId: null,
      createdAt: it.created_at, modifiedAt: it.updated_at,
    }),
    history, emails, comments,
  };
}

/** A ticket requester (a Zendesk end user of the world) as a Contact: the address, name and phone they were seen with. */
export function salesforceContact(contactId: string, identities: IdentityRow[]): Record<string, unknown> {
  const raw = (kind: string) => identities.find((i) => i.kind === kind)?.raw_value ?? null;
  const Id = contactNative(contactId)!;
  return encodeContact({
    id: Id, firstName: null, lastName: null, name: raw('name') ?? raw('email') ?? 'Unknown', email: raw('email'), phone: raw('phone'), mobilePhone: null, accountId: null,
    title: null, createdAt: Math.min(...identities.map((i) => i.first_seen_at)), modifiedAt: Math.max(...identities.map((i) => i.last_seen_at)),
  });
}
