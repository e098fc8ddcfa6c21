/**
 * Version 10: the QA program's spot checks ("grade the grader"). A lead re-grades a share of each
 * reviewer's reviews; the assignment and the lead's review point at the review they check, so the
 * app can report each reviewer's agreement with the lead and leave these reviews out of IQS (as
 * calibration reviews are).
 */
export const qaProgram = /* sql */ `
ALTER TABLE qa_assignments ADD COLUMN spot_check_of VARCHAR;
ALTER TABLE qa_reviews ADD COLUMN spot_check_of VARCHAR;
`;
