import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import type { OperatorPrincipal } from './operator-principal';
import { cookieValue, OPERATOR_SESSION_COOKIE, OperatorSessions } from './operator-sessions';

export const OPERATOR_SESSION_STRATEGY = 'operator-session';

/** The operator session cookie; no cookie or an ended session is no operator. */
@Injectable()
export class OperatorSessionStrategy extends PassportStrategy(Strategy, OPERATOR_SESSION_STRATEGY) {
  constructor(private readonly sessions: OperatorSessions) {
    super();
  }

  async validate(request: Request): Promise<OperatorPrincipal | null> {
    const token = cookieValue(request.header('cookie'), OPERATOR_SESSION_COOKIE);
    return (token && (await this.sessions.find(token))) || null;
  }
}
