import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, type AuthenticatedUser } from '@platform/auth';
import { ProblemException } from '@platform/http';
import { NOTIFICATION_STORE, type NotificationStore } from '../store/notification-store.port';
import { listNotificationsQuery, maxPageSize } from './list-notifications.query';
import { InvalidCursorError, decodeCursor, encodeCursor } from './page-cursor';

@ApiTags('notifications')
@Controller('api/notifications')
export class NotificationsController {
  constructor(@Inject(NOTIFICATION_STORE) private readonly store: NotificationStore) {}

  /** The caller's own notifications, newest first, a page at a time. */
  @Get()
  @Authenticated()
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: maxPageSize } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  async list(@CurrentUser() caller: AuthenticatedUser, @Query() query: unknown) {
    const { limit, cursor } = parsedQuery(query);
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

function parsedQuery(query: unknown) {
  const result = listNotificationsQuery.safeParse(query ?? {});
  if (result.success) return result.data;
  throw new ProblemException({
    status: 400,
    type: 'validation-failed',
    detail: 'The query string is not valid.',
    extensions: {
      errors: result.error.issues.map((issue) => ({
        field: issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.'),
        message: issue.code === 'unrecognized_keys' ? 'is not a known parameter' : issue.message,
      })),
    },
  });
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
