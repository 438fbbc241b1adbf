import { Controller, Get, Header } from '@nestjs/common';
import { openDataFeedbackCsv, type OpenDataFeedback } from './open-data-feedback';
import { OpenDataSource } from './open-data-source';
import { openDataCsv, type OpenDataStatistics } from './open-data-statistics';
import { InternetFacing } from '@umg/platform';

/** Public, no sign-in: anonymised per-district and per-service statistics for the open-data portal. */
@InternetFacing()
@Controller('open-data/v1')
export class OpenDataHttpController {
  constructor(private readonly source: OpenDataSource) {}

  @Get('statistics.json')
  @Header('Cache-Control', 'public, max-age=60')
  json(): Promise<OpenDataStatistics> {
    return this.source.current();
  }

  @Get('statistics.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="umg-statistics.csv"')
  @Header('Cache-Control', 'public, max-age=60')
  async csv(): Promise<string> {
    return openDataCsv(await this.source.current());
  }

  @Get('feedback.json')
  @Header('Cache-Control', 'public, max-age=60')
  feedbackJson(): Promise<OpenDataFeedback> {
    return this.source.currentFeedback();
  }

  @Get('feedback.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="umg-feedback.csv"')
  @Header('Cache-Control', 'public, max-age=60')
  async feedbackCsv(): Promise<string> {
    return openDataFeedbackCsv(await this.source.currentFeedback());
  }
}
