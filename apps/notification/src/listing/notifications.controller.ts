import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, authenticationProblems, type AuthenticatedUser } from '@platform/auth';
import { ApiContract, ProblemException, ZodValidationPipe } from '@platform/http';
import { NOTIFICATION_STORE, type NotificationStore } from '../store/notification-store.port';
import { type ListNotificationsQuery, listNotificationsQuery } from './list-notifications.query';
import { notificationsPageResponse } from './notifications.response';
import { InvalidCursorError, decodeCursor, encodeCursor } from './page-cursor';

@ApiTags('notifications')
@Controller('api/notifications')
export class NotificationsController {
  constructor(@Inject(NOTIFICATION_STORE) private readonly store: NotificationStore) {}

  /** The caller's own notifications, newest first, a page at a time. */
  @Get()
  @Authenticated()
  @ApiContract({
    summary: "The caller's own notifications, newest first, a page at a time",
    description: 'Parameters other than `limit` and `cursor` are refused.',
    query: listNotificationsQuery,
    success: { status: 200, description: 'A page of notifications.', body: notificationsPageResponse },
    problems: [authenticationProblems, { 400: ['validation-failed', 'invalid-cursor'] }],
  })
  async list(
    @CurrentUser() caller: AuthenticatedUser,
    @Query(new ZodValidationPipe(listNotificationsQuery)) { limit, cursor }: ListNotificationsQuery,
  ) {
    const page = await this.store.listOf(caller.id, {
      limit,
      ...(cursor === undefined ? {} : { after: positionOf(cursor) }),
    });
    return {
      items: page.items.map((notification) => ({
        id: notification.id,
        type: notification.type,
        orderId: notification.orderId,
        message: notification.message,
        createdAt: notification.createdAt.toISOString(),
      })),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  }
}

function positionOf(cursor: string) {
  try {
    return decodeCursor(cursor);
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    throw new ProblemException({
      status: 400,
      type: 'invalid-cursor',
      detail: 'The cursor is not valid; start again from the first page.',
    });
  }
}
