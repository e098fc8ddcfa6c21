import { brand, type Intent } from './catalog.ts';
import type { Random } from './random.ts';

/**
 * What people actually write, so that QA reviewers have something worth grading: customer messages
 * per intent in three tones (polite, neutral, curt) with real-world slips, and agent replies that are
 * either good (specific, empathetic, with a next step) or poor (generic, curt, or missing the point).
 * All bodies are English whatever the interaction's language, so every reviewer can read the demo.
 * Templates use {placeholders} filled from the conversation's facts.
 */
export type Tone = 'polite' | 'neutral' | 'curt';

export interface MessageFacts {
  first: string;
  agent: string;
  order: string;
  amount: string;
  days: number;
  product: string;
  date: string;
  code: string;
  last4: string;
  article: string;
}

interface IntentText {
  subjects: string[];
  polite: string[];
  neutral: string[];
  curt: string[];
  followUp: string[];
  good: string[];
  poor: string[];
  resolution: string[];
  notes: string[];
  bot: string;
}

const text: Record<Intent, IntentText> = {
  refund: {
    subjects: ['Refund for order {order}', 'Where is my refund?', 'Still waiting for my money back', 'Refund not received'],
    polite: [
      'I sent back the {product} from order {order} about {days} days ago and the tracking says you received it. Could you let me know when the refund of {amount} will arrive? Thank you!',
      'Hope you are well. I returned my order {order} last week but I have not seen the refund on my card yet. Is there anything else I need to do?',
    ],
    neutral: [
      'I returned order {order} and still have no refund. It has been {days} days. When will I get the {amount} back?',
      'Refund for {order} is not on my account yet. The return was delivered to you on {date}.',
    ],
    curt: [
      'Where is my refund?? {days} days and nothing. Order {order}.',
      'You have had my return for ages. I want my {amount} back now.',
    ],
    followUp: [
      'The card ends in {last4} if that helps.',
      'I paid with PayPal, not card. Does that change anything?',
      'Can you at least tell me if the parcel arrived at your warehouse?',
    ],
    good: [
      'I can see your return for order {order} arrived at our warehouse on {date}, and I have just pushed the refund of {amount} through. Card refunds take 3 to 5 working days to show, depending on your bank. I am sorry it took longer than it should have.',
      'Thanks for your patience. The return was checked in on {date}, but the refund got stuck in a manual review. I have released it now: {amount} will be back on the card ending {last4} within 5 working days, and you will get a confirmation email today.',
    ],
    poor: [
      'Refunds take up to 14 days. Please wait.',
      'We have received your message. Refunds are processed according to our returns policy, which you can find on our website.',
      'Please send us the order number so we can check.',
    ],
    resolution: [
      'The refund of {amount} is confirmed and on its way. Is there anything else I can help with?',
      'All done: you should see {amount} back on your account within a few days. I have added a note so nobody asks you for the return again.',
    ],
    notes: [
      'Return for {order} scanned on {date} but refund job failed (payment provider timeout). Re-triggered manually.',
      'Customer already chased twice. Refund {amount} released, flagged to Finance for the stuck batch.',
    ],
    bot: 'Refunds are issued within 5 working days after your return reaches our warehouse. You can follow the status here: "{article}".',
  },
  delivery_delay: {
    subjects: ['Where is my order {order}?', 'Delivery late', 'Parcel not arrived', 'Order {order} still not delivered'],
    polite: [
      'My order {order} was supposed to arrive on {date} but it has not come yet. Could you check where it is? Many thanks.',
      'I ordered a {product} as a birthday present and the tracking has not moved for {days} days. Is there any way to find out what is happening?',
    ],
    neutral: [
      'Order {order} has not arrived. Tracking says "in transit" since {date}.',
      'My parcel is {days} days late. Can you check with the courier?',
    ],
    curt: [
      'where is my parcel. ordered {days} days ago.',
      'Third time I ask. Order {order}. WHERE IS IT',
    ],
    followUp: [
      'The tracking link just says "exception". What does that mean?',
      'I was home all day and nobody rang the bell.',
      'I need it before the weekend, otherwise I do not want it any more.',
    ],
    good: [
      'I have checked with the carrier: your parcel for order {order} was held at their depot because of the delays this week, and it is now out for delivery again. It should reach you by {date}. If it does not, reply here and I will send a replacement straight away.',
      'Sorry about this. The courier marked the parcel as delayed on {date}. I have opened an investigation with them, and because you need it soon I have also sent a replacement by express at no cost; you will get the new tracking number by email within the hour.',
    ],
    poor: [
      'Please check the tracking link in your confirmation email.',
      'Deliveries can take longer at the moment. Please be patient.',
      'We cannot influence the courier. Please contact them directly.',
    ],
    resolution: [
      'The carrier confirms delivery for tomorrow. I will keep the case open until it has arrived.',
      'The replacement is on its way and the original parcel will come back to us, so you do not need to do anything.',
    ],
    notes: [
      'Carrier incident at hub, parcel {order} stuck since {date}. Investigation opened, ref DHL-INV-{last4}.',
      'Customer needs item before weekend, sent express replacement, original to be returned to sender.',
    ],
    bot: 'You can track your parcel at any time with the link in your shipping email. If tracking has not changed for 3 days, read "{article}".',
  },
  login_problem: {
    subjects: ['Cannot log in', 'Password reset not working', 'Locked out of my account', 'No sign-in code'],
    polite: [
      'I am trying to log in to my account but I never get the sign-in code by email. I have checked my spam folder too. Could you help?',
      'Hello, I reset my password twice now and it still says "invalid credentials". Not sure what I am doing wrong.',
    ],
    neutral: [
      'Cannot log in. Password reset email never arrives.',
      'The app logs me out every time I open it.',
    ],
    curt: [
      'your app is broken, cant log in',
      'Locked out AGAIN. Fix it.',
    ],
    followUp: [
      'I use the iPhone app, latest version.',
      'I changed my email address last month, maybe that is the problem?',
      'It works on the laptop but not on my phone.',
    ],
    good: [
      'Thanks for the details. Your account still had your old email address as the login, which is why the codes went nowhere. I have updated it to this address, so if you request a new code now it should arrive within a minute. Let me know if it does not.',
      'Sorry for the trouble. There was a known issue with sign-in codes for some email providers yesterday, which is fixed now. I have cleared the lock on your account; please try once more and it should let you straight in.',
    ],
    poor: [
      'Please reset your password.',
      'Have you tried clearing your cache and cookies?',
      'Please reinstall the app.',
    ],
    resolution: [
      'Great to hear you are back in. I have also turned off the extra lock that was triggered by the failed attempts.',
      'Your account is unlocked and the login email is updated.',
    ],
    notes: [
      'Login email was old address, updated after verifying order {order} and postcode.',
      'Account locked after 5 failed attempts, unlocked. Related to auth incident INC-{last4}?',
    ],
    bot: 'To reset your password, use "Forgot password" on the sign-in page. If the code does not arrive, see "{article}".',
  },
  billing: {
    subjects: ['Charged twice', 'Question about my invoice', 'Wrong amount charged', 'Invoice for order {order}'],
    polite: [
      'I noticed two charges of {amount} on my card for order {order}. Could you check whether one of them is a mistake? Thanks in advance.',
      'Could you please send me a proper invoice with VAT for order {order}? I need it for my expenses.',
    ],
    neutral: [
      'I was charged {amount} but the order total was less. Why?',
      'I need an invoice for {order}, the one in my account shows the wrong address.',
    ],
    curt: [
      'You charged me twice. I want one of them back.',
      'Why is there a {amount} charge from {brand} on my card? I did not order anything.',
    ],
    followUp: [
      'Both charges are from {date}.',
      'The company name on the invoice should be my employer, not me.',
      'The second charge is still there, it is not a pending one.',
    ],
    good: [
      'You are right: the payment was captured twice because of a timeout on our side. I have refunded the duplicate {amount} today, and you will receive a confirmation email. Depending on your bank it can take up to 5 days to appear.',
      'Thanks for flagging this. The {amount} was your {membership} renewal from {date}, which is why it looked unfamiliar. I have attached the invoice; if you did not mean to renew, I can cancel and refund it for you.',
    ],
    poor: [
      'Pending charges disappear automatically.',
      'Invoices can be downloaded in your account.',
      'Please contact your bank about charges on your card.',
    ],
    resolution: [
      'The duplicate charge has been refunded. Sorry for the confusion.',
      'The corrected invoice is attached. Anything else I can do for you?',
    ],
    notes: [
      'Double capture confirmed in PSP dashboard, refunded duplicate {amount}.',
      'Invoice reissued with company address, old invoice voided.',
    ],
    bot: 'You can download all your invoices in your account under Orders. Charged twice? Read "{article}".',
  },
  cancellation: {
    subjects: ['Cancel my membership', 'Please cancel order {order}', 'Cancellation', 'Stop my subscription'],
    polite: [
      'I would like to cancel my {membership} membership at the end of the current period. Could you confirm once it is done? Thank you.',
      'I ordered the {product} by mistake this morning (order {order}). Is it still possible to cancel it?',
    ],
    neutral: [
      'Please cancel order {order}.',
      'I want to cancel my membership, I cannot find where to do it in the app.',
    ],
    curt: [
      'Cancel my subscription. Now.',
      'I have tried to cancel three times. Stop charging me.',
    ],
    followUp: [
      'Will I get a refund for the rest of the month?',
      'Please confirm in writing.',
      'Has it shipped already? I really do not need it.',
    ],
    good: [
      'I have cancelled your {membership} membership; it stays active until {date} and there will be no further charges. You will get a written confirmation by email in a few minutes.',
      'Good news: order {order} had not been packed yet, so I have cancelled it and the {amount} goes back to your card within 3 to 5 days.',
    ],
    poor: [
      'You can cancel in your account settings.',
      'Orders cannot be cancelled once placed. Please return it when it arrives.',
      'Are you sure? You will lose all your benefits.',
    ],
    resolution: [
      'The cancellation is confirmed. Sorry to see you go, and thanks for having been a member.',
      'Cancelled and refunded. You will not receive the parcel.',
    ],
    notes: [
      'Retention offer declined. Membership set to end {date}.',
      'Order {order} stopped in warehouse before picking.',
    ],
    bot: 'You can cancel your membership under Account > Membership. Orders can be cancelled until they are packed: "{article}".',
  },
  product_question: {
    subjects: ['Question about the {product}', 'Size advice', 'Is the {product} waterproof?', 'Spare parts'],
    polite: [
      'I am thinking of buying the {product} and wondered whether it is suitable for winter camping. Could you tell me more? Thanks!',
      'Does the {product} come with a warranty, and can I buy spare parts later?',
    ],
    neutral: [
      'What size should I take in the {product}? I am normally an M.',
      'Is the {product} dishwasher safe?',
    ],
    curt: [
      'is the {product} in stock or not',
      'Your product page does not say the weight. How heavy is it?',
    ],
    followUp: [
      'And what about the colour, is the green darker than in the photos?',
      'I have a 2-year-old one, would the new parts fit?',
    ],
    good: [
      'Great question. The {product} is rated to minus 5 degrees and weighs 2.1 kg. For winter camping I would pair it with the 4-season footprint. It has a 3-year warranty and we keep spare parts for at least 5 years.',
      'It runs slightly small, so if you are usually an M I would take an L. If it does not fit, returns are free within 30 days.',
    ],
    poor: [
      'All information is on the product page.',
      'I do not know, sorry.',
      'Yes.',
    ],
    resolution: [
      'I hope that helps. Happy to answer anything else about the {product}.',
      'I have reserved one in your size for 24 hours so you can decide.',
    ],
    notes: [
      'Asked product team for exact weight of {product}, page needs updating.',
      'Potential sale, customer comparing with competitor.',
    ],
    bot: 'You will find sizes, materials and care tips on each product page and in "{article}".',
  },
  damaged_item: {
    subjects: ['Item arrived damaged', 'Broken {product}', 'Damaged delivery order {order}', 'Received a broken item'],
    polite: [
      'Unfortunately the {product} from order {order} arrived with a crack in it. I have attached photos. What is the best way to get a replacement?',
      'The box was crushed and the {product} inside is damaged. Could you help me with this please?',
    ],
    neutral: [
      'The {product} came broken. Photos attached. I would like a replacement.',
      'Order {order}: item damaged on arrival.',
    ],
    curt: [
      'Paid {amount} for a broken {product}. Unacceptable.',
      'Second time something arrives broken from you. Refund me.',
    ],
    followUp: [
      'Do I have to send the broken one back? It is heavy.',
      'Here are more photos of the box.',
    ],
    good: [
      'I am really sorry it arrived like that, and thanks for the photos: they are all I need. I have sent a replacement {product} by express today, and you do not need to send the damaged one back; please recycle it. You will get tracking by email shortly.',
      'That should not happen. I have refunded {amount} in full to your card, and since this is the second time, I have added a note so our packing team double-boxes your future orders.',
    ],
    poor: [
      'Please send photos of the damage.',
      'Please return the item using the returns portal.',
      'The courier is responsible for damage in transit.',
    ],
    resolution: [
      'Your replacement has been dispatched. Sorry again for the trouble.',
      'The refund is done and no return is needed.',
    ],
    notes: [
      'Photos show transit damage, replacement sent, claim opened with carrier.',
      'Repeat damage for this customer, packing note added to account.',
    ],
    bot: 'Sorry to hear that! Please have photos of the item and the box ready and read "{article}".',
  },
  order_change: {
    subjects: ['Change delivery address', 'Change my order {order}', 'Wrong size ordered', 'Add item to order'],
    polite: [
      'I just realised I put my old address on order {order}. Is it possible to change it before it ships? Thank you so much.',
      'Could I change the size of the {product} in order {order} from M to L please?',
    ],
    neutral: [
      'Need to change the address on {order}.',
      'Can I add a second {product} to my order?',
    ],
    curt: [
      'wrong address on my order fix it',
      'Change the size. Order {order}.',
    ],
    followUp: [
      'The new address is my office, deliveries are accepted until 5pm.',
      'If it is too late, can I just refuse the parcel?',
    ],
    good: [
      'Done: order {order} will now go to the new address, and it has not been packed yet, so there is no delay. You will get an updated confirmation email.',
      'I have swapped the {product} to size L; the price is the same, so nothing changes on your payment.',
    ],
    poor: [
      'Orders cannot be changed after they are placed.',
      'Please cancel and order again.',
    ],
    resolution: [
      'Your order is updated. Anything else?',
      'All changed, and the delivery date stays the same.',
    ],
    notes: ['Address changed before picking, verified via postcode.', 'Size swap done in OMS, stock reserved.'],
    bot: 'Orders can be changed until they are packed. Here is how: "{article}".',
  },
  payment_failed: {
    subjects: ['Payment declined', 'Cannot pay', 'Payment failed for order {order}', 'Card not accepted'],
    polite: [
      'I tried to pay for my order three times and my card keeps getting declined, although it works everywhere else. Do you know what might be wrong?',
      'My payment failed but the money seems to be reserved on my account. Could you check please?',
    ],
    neutral: [
      'Payment declined at checkout. Card ending {last4}.',
      'PayPal payment failed, order not placed, but money gone.',
    ],
    curt: [
      'Your checkout does not work.',
      'Took my money and no order. Explain.',
    ],
    followUp: ['I got an error code: 05.', 'My bank says they did not block anything.'],
    good: [
      'Thanks for the details. The decline came from a 3-D Secure check that timed out, not from your bank. The reserved {amount} will be released automatically within 2 days. I have created the order for you with the same items, and you can pay through the secure link I have just emailed you.',
      'I can see the failed attempts; they were blocked by our fraud filter because the billing and delivery countries differ. I have whitelisted your account, so the next attempt will go through.',
    ],
    poor: [
      'Please contact your bank.',
      'Try another card.',
    ],
    resolution: ['The order went through. Thanks for sticking with us.', 'Payment received, your order is confirmed.'],
    notes: ['3DS timeout at PSP. Reservation will drop, payment link sent.', 'Fraud rule country mismatch, whitelisted after checking previous orders.'],
    bot: 'Payments can be declined for several reasons; the most common are explained in "{article}".',
  },
  promo_code: {
    subjects: ['Discount code not working', 'Promo code {code}', 'Forgot to use my voucher', 'Code invalid'],
    polite: [
      'I tried to use the code {code} from your newsletter but it says it is invalid. Could you help? Thank you!',
      'I forgot to enter my discount code on order {order}. Is there any way to apply it afterwards?',
    ],
    neutral: ['Code {code} does not work.', 'Can you apply {code} to my last order?'],
    curt: ['your code is fake', '{code} invalid. Why advertise it then.'],
    followUp: ['It says "minimum order value not reached" but my basket is above it.', 'The email says valid until the end of the month.'],
    good: [
      'Sorry about that: {code} excludes items that are already reduced, which is why it failed for your basket. I have applied the same discount manually to order {order} and refunded the difference of {amount}.',
      'I have applied {code} to your order retroactively; the difference of {amount} will be refunded to your original payment method.',
    ],
    poor: ['The code is only valid for new customers.', 'Please read the terms and conditions of the promotion.'],
    resolution: ['The discount is applied. Enjoy your order!', 'Refund of the difference is on its way.'],
    notes: ['Code excluded sale items, goodwill discount applied manually.', 'Applied {code} after purchase, approved by team lead.'],
    bot: 'Promo codes are entered in the basket before payment. Conditions are listed in "{article}".',
  },
};

const greetingByTone: Record<Tone, string[]> = {
  polite: ['Hello,', 'Hi there,', 'Good morning,', 'Dear Larkspur team,'],
  neutral: ['Hi,', 'Hello,', ''],
  curt: [''],
};

const signOffByTone: Record<Tone, string[]> = {
  polite: ['Thank you very much,\n{first}', 'Kind regards,\n{first}', 'Thanks in advance!\n{first}'],
  neutral: ['Thanks,\n{first}', '{first}', 'Regards'],
  curt: ['', ''],
};

/**
 * Sign-offs of someone writing from a mailbox their household shares: the name is how the other
 * side tells the members apart, so they sign it (a curt writer still forgets half the time).
 * As many choices per tone as above, so a draw picks from either list alike.
 */
const sharedMailboxSignOffByTone: Record<Tone, string[]> = {
  polite: signOffByTone.polite,
  neutral: ['Thanks,\n{first}', '{first}', 'Regards,\n{first}'],
  curt: ['{first}', ''],
};

/** Templates split once into literal text and placeholder names (odd positions), then cached. */
const compiled = new Map<string, string[]>();

export function fill(template: string, facts: MessageFacts): string {
  let parts = compiled.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    if (compiled.size < 10_000) compiled.set(template, parts);
  }
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i];
    const value = key === 'brand' ? brand.name : key === 'membership' ? brand.membership : (facts as unknown as Record<string, string | number>)[key];
    out += (value === undefined ? `{${key}}` : String(value)) + parts[i + 1];
  }
  return out;
}

/** The first customer message of a contact, with a subject for channels that have one. */
export function customerOpening(
  rng: Random, intent: Intent, tone: Tone, facts: MessageFacts,
  context: { email: boolean; repeat: boolean; afterArticle: boolean; sloppy: boolean; sharedMailbox?: boolean },
): { subject: string; body: string } {
  const t = text[intent];
  let body = fill(rng.pick(t[tone]), facts);
  if (context.afterArticle) body = rng.pick(['I read the help article but it did not solve my problem. ', 'Your FAQ did not help. ', 'I already looked at "{article}". '].map((s) => fill(s, facts))) + body;
  if (context.repeat) body = rng.pick(repeatPrefixes[tone]) + body;
  if (context.sloppy) body = sloppy(rng, body);
  if (context.email) {
    const greeting = rng.pick(greetingByTone[tone]);
    const signOff = fill(rng.pick((context.sharedMailbox ? sharedMailboxSignOffByTone : signOffByTone)[tone]), facts);
    body = [greeting, body, signOff].filter((s) => s.length > 0).join('\n\n');
  }
  return { subject: fill(rng.pick(t.subjects), facts), body };
}

const repeatPrefixes: Record<Tone, string[]> = {
  polite: ['I contacted you about this a few days ago but it is still not sorted. ', 'Sorry to write again, but '],
  neutral: ['Second time I am writing about this. ', 'Following up on my earlier message: '],
  curt: ['AGAIN. ', 'Nobody got back to me. ', 'Still not fixed. '],
};

export function customerFollowUp(rng: Random, intent: Intent, tone: Tone, facts: MessageFacts, sloppyText: boolean): string {
  const body = fill(rng.pick(text[intent].followUp), facts);
  return sloppyText || tone === 'curt' ? sloppy(rng, body) : body;
}

export function customerClosing(rng: Random, tone: Tone, satisfied: boolean): string {
  if (!satisfied) return rng.pick(['That does not help me at all.', 'ok whatever', 'So you cannot do anything. Great.', 'I will think about it.', 'This is ridiculous.']);
  if (tone === 'curt') return rng.pick(['ok', 'fine', 'k thx', 'finally']);
  return rng.pick(['Thank you so much, that is perfect!', 'Great, thanks for your help.', 'Brilliant, thanks!', 'Thanks, have a nice day.', 'Perfect, that was quick. Thank you!']);
}

export function customerReopen(rng: Random, intent: Intent, facts: MessageFacts): string {
  return fill(rng.pick([
    'This is not solved. I still have the same problem.',
    'You closed my ticket but nothing has happened.',
    'Hi again, unfortunately this is still not working.',
    'Why was this marked as solved? Order {order} is still not sorted.',
  ]), facts) + (intent === 'refund' ? ' The money is still not there.' : '');
}

export function agentGreeting(rng: Random, channel: 'chat' | 'email' | 'social', facts: MessageFacts, good: boolean): string {
  if (channel === 'email') return '';
  if (!good) return rng.pick(['Hi.', 'Hello, how can I help?', 'Yes?']);
  return fill(rng.pick([
    'Hi {first}, thanks for getting in touch! I am {agent}, I will take a look right away.',
    'Hello {first}, this is {agent}. Sorry for the wait, let me check that for you.',
    'Hi {first}, {agent} here. I have read your message and I am on it.',
  ]), facts);
}

/** The substantive agent answer: good or poor, per intent. */
export function agentAnswer(rng: Random, intent: Intent, good: boolean, facts: MessageFacts, asEmail: boolean): string {
  const body = fill(rng.pick(good ? text[intent].good : text[intent].poor), facts);
  if (!asEmail) return body;
  return good
    ? `Hi ${facts.first},\n\n${body}\n\nBest regards,\n${facts.agent}\n${brand.name} Customer Care`
    : `Dear customer,\n\n${body}\n\n${brand.name} Support`;
}

export function agentResolution(rng: Random, intent: Intent, facts: MessageFacts): string {
  return fill(rng.pick(text[intent].resolution), facts);
}

export function agentClarifyingQuestion(rng: Random, facts: MessageFacts): string {
  return fill(rng.pick([
    'Could you send me your order number so I can look into it?',
    'Thanks {first}. Just to confirm, is this about order {order}?',
    'Can you confirm the email address on your account?',
  ]), facts);
}

export function internalNote(rng: Random, intent: Intent, facts: MessageFacts): string {
  return fill(rng.pick(text[intent].notes), facts);
}

export function callSummary(rng: Random, intent: Intent, facts: MessageFacts, resolved: boolean): string {
  const lead = rng.pick(['Caller asked about', 'Customer called re', 'Call:']);
  const outcome = resolved ? fill(rng.pick(text[intent].notes), facts) : rng.pick(['Could not resolve on the call, follow-up needed.', 'Escalated to team lead.', 'Customer will call back with the order number.']);
  return `${lead} ${intent.replace('_', ' ')}. ${outcome}`;
}

export function botGreeting(rng: Random): string {
  return rng.pick([
    `Hi! I am the ${brand.name} assistant. What can I help you with today?`,
    'Hello 👋 Ask me anything about orders, returns or your account.',
  ]);
}

export function botAnswer(intent: Intent, facts: MessageFacts): string {
  return fill(text[intent].bot, facts);
}

export function botHandoff(rng: Random): string {
  return rng.pick(['I will connect you with a member of our team. Usual wait is a few minutes.', 'Let me pass you to a colleague who can look into your account.']);
}

export function customerAsksForHuman(rng: Random, tone: Tone): string {
  return tone === 'curt'
    ? rng.pick(['human', 'AGENT', 'talk to a person', 'this bot is useless'])
    : rng.pick(['Can I speak to a real person please?', 'That did not answer my question. Can someone from the team help?', 'I need someone to look at my account.']);
}

export function customerThanksBot(rng: Random): string | null {
  return rng.chance(0.5) ? rng.pick(['thanks', 'Ah ok, found it. Thank you!', 'that helped 👍']) : null;
}

export function callbackAsk(rng: Random): string {
  return rng.pick(['Could someone call me instead? It is easier to explain.', 'Can you call me back? I am on my phone.', 'I would prefer a phone call about this.']);
}

export function callbackConfirm(rng: Random, facts: MessageFacts): string {
  return fill(rng.pick([
    'Of course. I have booked a callback for you; a colleague from our phone team will call you, usually within a few hours.',
    'No problem, {first}. I have requested a callback to the number on your account.',
  ]), facts);
}

export function followUpEmail(rng: Random, intent: Intent, facts: MessageFacts): string {
  return `Hi ${facts.first},\n\n${fill(rng.pick([
    'As promised on the phone, here is a summary of what we agreed. ',
    'Thanks for your time on the call earlier. ',
  ]), facts)}${fill(rng.pick(text[intent].resolution), facts)}\n\nIf anything is still unclear, just reply to this email.\n\nBest regards,\n${facts.agent}\n${brand.name} Customer Care`;
}

export function socialMention(rng: Random, intent: Intent, tone: Tone, facts: MessageFacts): string {
  const base = fill(rng.pick(text[intent][tone]), facts).slice(0, 200);
  return `@${brand.name}Help ${tone === 'curt' ? base + ' #fail' : base}`;
}

export function socialPublicReply(rng: Random, facts: MessageFacts, good: boolean): string {
  return good
    ? fill(rng.pick(['Hi {first}, sorry to hear that! Please send us a DM with your order number and we will sort it out. ^{agent}', 'We are on it, {first}. Could you DM us your order number? ^{agent}']), facts)
    : rng.pick(['Please DM us.', 'Contact customer service via our website.']);
}

export function csatComment(rng: Random, score: number): string | null {
  if (rng.chance(0.5)) return null;
  if (score >= 4) return rng.pick(['Quick and friendly.', 'Very helpful, thank you!', 'Problem solved first time.', 'Great service.']);
  if (score === 3) return rng.pick(['Ok but took a while.', 'Fine.', 'Had to explain twice.']);
  return rng.pick(['Nobody actually read my message.', 'Took far too long.', 'Still not solved.', 'Rude and unhelpful.']);
}

/** Real-world slips: lowercase, missing punctuation, a swapped letter, "u" for "you". */
export function sloppy(rng: Random, body: string): string {
  let s = body;
  if (rng.chance(0.5)) s = s.toLowerCase();
  if (rng.chance(0.4)) s = s.replace(/[.!?]$/g, '');
  if (rng.chance(0.3)) s = s.replace(/\byou\b/g, 'u').replace(/\bplease\b/gi, 'pls');
  if (rng.chance(0.3)) s = s.replace(/\bI am\b/g, 'im').replace(/\bdo not\b/g, 'dont').replace(/\bhas not\b/g, 'hasnt');
  const words = s.split(' ');
  const slips = rng.int(1, 2);
  for (let k = 0; k < slips; k++) {
    const i = rng.int(0, words.length - 1);
    const w = words[i];
    if (w.length > 4 && /^[a-z]+$/i.test(w)) {
      const j = rng.int(1, w.length - 3);
      words[i] = w.slice(0, j) + w[j + 1] + w[j] + w.slice(j + 2);
    }
  }
  return words.join(' ');
}
