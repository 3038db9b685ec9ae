import { Module } from '@nestjs/common';
import { BooksService } from './books.service.js';
import { ReadYourWritesService } from './read-your-writes.service.js';
import { RpcController } from './rpc.controller.js';
import { RpcService } from './rpc.service.js';
import { ReadAccessService } from './read-access.service.js';
import { QueryResponder } from './query.responder.js';

@Module({ controllers: [RpcController], providers: [BooksService, ReadYourWritesService, RpcService, ReadAccessService, QueryResponder] })
export class RpcModule {}
