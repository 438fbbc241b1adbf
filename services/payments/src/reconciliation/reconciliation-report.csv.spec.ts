import { reconciliationReportCsv } from './reconciliation-report.csv';

describe('reconciliation report as CSV', () => {
  it('writes a header, one line per status and one per mismatch', () => {
    const csv = reconciliationReportCsv({
      districtCode: 'serdika',
      date: '2026-03-12',
      currency: 'EUR',
      byStatus: [
        { status: 'paid', count: 2, amountMinor: 512 },
        { status: 'pending', count: 1, amountMinor: 256 },
      ],
      mismatches: [
        {
          paymentRequestId: '9b2e4c1a-7d3f-4a8e-b6c5-2f1e0d9c8b7a',
          aisPaymentId: 'SOF-05-0000000123',
          recordedStatus: 'pending',
          reportedStatus: 'paid',
          foundAt: '2026-03-12T16:00:02.000Z',
        },
      ],
    });
    expect(csv.startsWith('\ufeff')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'record,district,date,status,count,amount_minor,currency,payment_request_id,ais_payment_id,recorded_status,reported_status,found_at',
      'status,serdika,2026-03-12,paid,2,512,EUR,,,,,',
      'status,serdika,2026-03-12,pending,1,256,EUR,,,,,',
      'mismatch,serdika,2026-03-12,paid,,,,9b2e4c1a-7d3f-4a8e-b6c5-2f1e0d9c8b7a,SOF-05-0000000123,pending,paid,2026-03-12T16:00:02.000Z',
      '',
    ]);
  });

  it('neutralises a formula in a field that came from the payment system', () => {
    const csv = reconciliationReportCsv({
      districtCode: 'serdika',
      date: '2026-03-12',
      currency: 'EUR',
      byStatus: [],
      mismatches: [
        {
          paymentRequestId: '9b2e4c1a-7d3f-4a8e-b6c5-2f1e0d9c8b7a',
          aisPaymentId: '=HYPERLINK("http://x","плати")',
          recordedStatus: 'pending',
          reportedStatus: 'paid',
          foundAt: '2026-03-12T16:00:02.000Z',
        },
      ],
    });
    expect(csv.split('\r\n')[1]).toContain(`,"'=HYPERLINK(""http://x"",""плати"")",`);
  });
});
