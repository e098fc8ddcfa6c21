/**
 * Common English given-name diminutives, folded to one canonical form so that "Bob" and "Robert"
 * compare equal on the nickname level of the name comparison.
 *
 * Why a short list of our own: no maintained nickname list is published as an npm package we can
 * install here (the usual source, the Carlton Northern names.csv, exists only as a data file). The
 * list covers the frequent diminutives; anything missing simply falls back to the plain name.
 */
const groups: Record<string, string[]> = {
  robert: ['bob', 'bobby', 'rob', 'robbie', 'robby', 'bert'],
  william: ['bill', 'billy', 'will', 'willy', 'willie', 'liam'],
  richard: ['dick', 'rick', 'ricky', 'rich', 'richie'],
  james: ['jim', 'jimmy', 'jamie'],
  john: ['jack', 'johnny', 'jon'],
  joseph: ['joe', 'joey'],
  thomas: ['tom', 'tommy'],
  charles: ['charlie', 'chuck', 'chas'],
  michael: ['mike', 'mikey', 'mick', 'mickey'],
  christopher: ['chris', 'kit'],
  daniel: ['dan', 'danny'],
  david: ['dave', 'davy'],
  edward: ['ed', 'eddie', 'ted', 'teddy', 'ned'],
  anthony: ['tony'],
  andrew: ['andy', 'drew'],
  matthew: ['matt'],
  nicholas: ['nick', 'nicky'],
  steven: ['steve', 'stephen'],
  benjamin: ['ben', 'benny'],
  samuel: ['sam', 'sammy'],
  alexander: ['alex', 'sandy'],
  jonathan: ['jonny'],
  patrick: ['pat', 'paddy'],
  peter: ['pete'],
  timothy: ['tim', 'timmy'],
  gregory: ['greg'],
  kenneth: ['ken', 'kenny'],
  ronald: ['ron', 'ronnie'],
  donald: ['don', 'donnie'],
  lawrence: ['larry'],
  gerald: ['gerry', 'jerry'],
  frederick: ['fred', 'freddie'],
  henry: ['hank', 'harry'],
  elizabeth: ['liz', 'lizzie', 'beth', 'betty', 'eliza', 'betsy', 'libby'],
  margaret: ['maggie', 'meg', 'peggy', 'marge', 'margie'],
  katherine: ['kate', 'katie', 'kathy', 'kat', 'catherine', 'kathryn', 'cathy'],
  jennifer: ['jen', 'jenny'],
  patricia: ['pat', 'patty', 'trish', 'tricia'],
  susan: ['sue', 'susie', 'suzy'],
  deborah: ['deb', 'debbie'],
  rebecca: ['becky', 'becca'],
  victoria: ['vicky', 'tori'],
  jessica: ['jess', 'jessie'],
  christine: ['chris', 'christina', 'tina'],
  barbara: ['barb', 'babs'],
  dorothy: ['dot', 'dottie'],
  abigail: ['abby'],
  samantha: ['sam', 'sammie'],
  alexandra: ['alex', 'sandra', 'lexi'],
  isabella: ['bella', 'izzy'],
  josephine: ['jo', 'josie'],
  theodore: ['theo', 'ted'],
};

const canonical = new Map<string, string>();
for (const [name, nicks] of Object.entries(groups)) {
  canonical.set(name, name);
  // A diminutive shared by two names (pat, chris, alex, sam, ted) keeps the first group listed.
  for (const nick of nicks) if (!canonical.has(nick)) canonical.set(nick, name);
}

/** Every (name or diminutive, canonical name) pair, for the SQL stages. */
export function canonicalGivenNames(): IterableIterator<[string, string]> {
  return canonical.entries();
}
