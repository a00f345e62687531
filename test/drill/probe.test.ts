import { runScan } from '../../src/scan/engine.js';
test('probe', async () => {
  const recs = [
    { Id: '003000000000001AAA', FirstName: 'Test', LastName: 'Test', Email: 'test@test.com', Phone: '1234567890', MailingCity: 'Test', MailingCountry: 'Test' },
    { Id: '003000000000002AAA', FirstName: 'Jane', LastName: 'Doe', Email: 'jane.doe@example.com', Phone: '(555) 010-0199', MailingStreet: '123 Main Street', MailingCity: 'Anytown', MailingPostalCode: '12345', MailingCountry: 'United States' },
    { Id: '003000000000003AAA', FirstName: 'Lorem', LastName: 'Ipsum', Email: 'lorem.ipsum@mailinator.com', Phone: '000-000-0000', Title: 'Dolor sit amet' },
    { Id: '003000000000004AAA', FirstName: 'Ernestine', LastName: 'Kuhlman', Email: 'Ernestine_Kuhlman43@hotmail.com', Phone: '1-555-284-0193 x4471', MailingStreet: '5123 Schmitt Forks', MailingCity: 'Port Aliyahaven', MailingPostalCode: '98004-1122', MailingCountry: 'US', Title: 'Dynamic Integration Orchestrator' },
    { Id: '003000000000005AAA', FirstName: 'Qa', LastName: 'User1', Email: 'qa.user1@acme.com.invalid', Phone: '+1 415 555 0101', Title: 'QA' },
    { Id: '003000000000006AAA', FirstName: 'Maria', LastName: 'Garcia', Email: 'maria.garcia@gmail.com', Phone: '+33 1 42 68 53 00', MailingCity: 'Lyon', MailingPostalCode: '75008', MailingCountry: 'France' },
  ];
  const r = await runScan([{ label: 'drill', object: 'Contact', records: (async function* () { yield* recs; })() }], { thresholds: { low: 0.35, medium: 0.6, high: 0.85 }, object: 'Contact' });
  for (const f of r.findings) console.log(f.id, f.level, f.score, f.reasons.map((x) => x.rule).join(','));
});
