// Deliberately wrong, kept to prove lint rejects it (tools/workspace/test/module-boundaries.spec.ts).
import { Injectable } from '@nestjs/common';
import { MongoClient } from 'mongodb';

export const forbidden = [Injectable, MongoClient];
