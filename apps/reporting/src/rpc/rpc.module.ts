import { Module } from '@nestjs/common';
import { BalancesService } from './balances.service.js';
import { RpcController } from './rpc.controller.js';

@Module({ controllers: [RpcController], providers: [BalancesService] })
export class RpcModule {}
