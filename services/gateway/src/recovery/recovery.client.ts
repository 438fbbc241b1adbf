import { Inject, Injectable } from '@nestjs/common';
import createClient, { type Client } from 'openapi-fetch';
import type {
  ApplicationsInternalPaths,
  DeliveryInternalPaths,
  DistrictsInternal,
  DistrictsInternalPaths,
  OperatorApi,
  PaymentsInternalPaths,
} from '@umg/contracts';
import { currentCorrelation } from '@umg/logging';
import { serviceFetch, ServiceTokenIssuer } from '@umg/platform';
import { tracedFetch } from '@umg/tracing';
import { upstreamData } from '../applications/upstream-problem';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import type { OperatorPrincipal } from '../operators/operator-principal';

export type ConsumingService = OperatorApi.components['schemas']['ConsumingService'];
export const consumingServices: readonly ConsumingService[] = ['applications', 'payments', 'delivery', 'districts'];

/** The dead-letter operations every consuming service has (common.yaml's path items, the same in each). */
type DeadLetterPaths = Pick<
  ApplicationsInternalPaths,
  | '/internal/v1/dead-letters'
  | '/internal/v1/dead-letters/{deadLetterId}'
  | '/internal/v1/dead-letter-replays'
  | '/internal/v1/dead-letter-discards'
>;
// Each service's document must have them as the applications service's does.
type Same<T extends DeadLetterPaths> = T;
export type DeadLetterPathsOfEach = [
  Same<ApplicationsInternalPaths>,
  Same<PaymentsInternalPaths>,
  Same<DeliveryInternalPaths>,
  Same<DistrictsInternalPaths>,
];

type Common = ApplicationsInternalPaths['/internal/v1/dead-letters']['get'];
export type DeadLetterQuery = NonNullable<Common['parameters']['query']>;
export type DeadLetterPage = Common['responses'][200]['content']['application/json'];
export type DeadLetterDetail =
  ApplicationsInternalPaths['/internal/v1/dead-letters/{deadLetterId}']['get']['responses'][200]['content']['application/json'];
export type DeadLetterOutcomes =
  ApplicationsInternalPaths['/internal/v1/dead-letter-replays']['post']['responses'][200]['content']['application/json'];
type Districts = DistrictsInternal.components['schemas'];

/**
 * The consuming services' dead letters and the districts service's parked pushes, for the
 * console's recovery page. Every call carries the gateway's service token; a replay or a discard
 * carries the signed-in operator, whom the service records with the entry (and, for pushes, in
 * the district's audit trail).
 */
@Injectable()
export class RecoveryClient {
  private readonly deadLetters: Record<ConsumingService, Client<DeadLetterPaths>>;
  private readonly districts: Client<DistrictsInternalPaths>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly tokens: ServiceTokenIssuer,
  ) {
    const baseUrls: Record<ConsumingService, string> = {
      applications: config.APPLICATIONS_URL,
      payments: config.PAYMENTS_URL,
      delivery: config.DELIVERY_URL,
      districts: config.DISTRICTS_URL,
    };
    const client = (service: ConsumingService) =>
      createClient<DeadLetterPaths>({
        baseUrl: baseUrls[service],
        fetch: serviceFetch(tokens, service, tracedFetch(service)),
      });
    this.deadLetters = {
      applications: client('applications'),
      payments: client('payments'),
      delivery: client('delivery'),
      districts: client('districts'),
    };
    this.districts = createClient<DistrictsInternalPaths>({
      baseUrl: config.DISTRICTS_URL,
      fetch: serviceFetch(tokens, 'districts', tracedFetch('districts')),
    });
  }

  listDeadLetters(service: ConsumingService, query: DeadLetterQuery): Promise<DeadLetterPage> {
    return upstreamData(() =>
      this.deadLetters[service].GET('/internal/v1/dead-letters', { params: { query }, ...this.options() }),
    );
  }

  getDeadLetter(service: ConsumingService, deadLetterId: number): Promise<DeadLetterDetail> {
    return upstreamData(() =>
      this.deadLetters[service].GET('/internal/v1/dead-letters/{deadLetterId}', {
        params: { path: { deadLetterId } },
        ...this.options(),
      }),
    );
  }

  replayDeadLetters(
    service: ConsumingService,
    ids: number[],
    operator: OperatorPrincipal,
  ): Promise<DeadLetterOutcomes> {
    return upstreamData(async () =>
      this.deadLetters[service].POST('/internal/v1/dead-letter-replays', {
        body: { ids },
        ...(await this.asOperator(service, operator)),
      }),
    );
  }

  discardDeadLetters(
    service: ConsumingService,
    ids: number[],
    reason: string,
    operator: OperatorPrincipal,
  ): Promise<DeadLetterOutcomes> {
    return upstreamData(async () =>
      this.deadLetters[service].POST('/internal/v1/dead-letter-discards', {
        body: { ids, reason },
        ...(await this.asOperator(service, operator)),
      }),
    );
  }

  listParkedPushes(
    query: NonNullable<DistrictsInternalPaths['/internal/v1/parked-pushes']['get']['parameters']['query']>,
  ): Promise<Districts['ParkedPushPage']> {
    return upstreamData(() =>
      this.districts.GET('/internal/v1/parked-pushes', { params: { query }, ...this.options() }),
    );
  }

  getParkedPush(pushId: number): Promise<Districts['ParkedPushDetail']> {
    return upstreamData(() =>
      this.districts.GET('/internal/v1/parked-pushes/{pushId}', {
        params: { path: { pushId } },
        ...this.options(),
      }),
    );
  }

  replayParkedPushes(
    selection: Districts['ParkedPushSelection'],
    operator: OperatorPrincipal,
  ): Promise<Districts['ParkedPushOutcomes']> {
    return upstreamData(async () =>
      this.districts.POST('/internal/v1/parked-push-replays', {
        body: selection,
        ...(await this.asOperator('districts', operator)),
      }),
    );
  }

  discardParkedPushes(
    discard: Districts['ParkedPushDiscard'],
    operator: OperatorPrincipal,
  ): Promise<Districts['ParkedPushOutcomes']> {
    return upstreamData(async () =>
      this.districts.POST('/internal/v1/parked-push-discards', {
        body: discard,
        ...(await this.asOperator('districts', operator)),
      }),
    );
  }

  /** The call's options with a token that acts for the operator (their session's username and role). */
  private async asOperator(service: ConsumingService, operator: OperatorPrincipal) {
    const options = this.options();
    const authorization = await this.tokens.authorization(service, {
      operator: { id: operator.username, role: operator.role },
    });
    return { ...options, headers: { ...options.headers, authorization } };
  }

  private options() {
    const correlation = currentCorrelation();
    return {
      headers: { ...(correlation ? { 'x-correlation-id': correlation.correlationId } : {}) },
      signal: AbortSignal.timeout(this.config.UPSTREAM_TIMEOUT_MS),
    };
  }
}
