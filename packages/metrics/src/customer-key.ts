/**
 * Who the customer behind an interaction is, for repeat contact, FCR, containment quality and
 * self-service containment. This is the ONE place that decides it.
 *
 * Identity resolution (issue 5, packages/core/src/identity) fills `interactions.customer_id`;
 * until it has run, a customer is approximated by exact matches: contact records sharing an
 * identical normalized email, phone, chat visitor id, social handle or CRM id (one hop) get the
 * smallest such contact id as their key. Once resolution has run everywhere, the switch is one
 * line: make `customerKeyExpression` return `i.customer_id` and drop the `m_contact_key` stage.
 */
export const customerKeyStages = /* sql */ `
m_identity_value AS (
  SELECT kind, value, min(contact_id) AS key
  FROM identities
  WHERE kind IN ('email', 'phone', 'chat_visitor', 'social_handle', 'crm_contact')
  GROUP BY kind, value
),
m_contact_key AS (
  SELECT id.contact_id, min(v.key) AS key
  FROM identities id JOIN m_identity_value v ON v.kind = id.kind AND v.value = id.value
  GROUP BY id.contact_id
)`;

/** SQL for the customer key of interaction `i` joined to `m_contact_key` as `ck`. */
export const customerKeyExpression = 'coalesce(i.customer_id, ck.key, i.contact_id)';
