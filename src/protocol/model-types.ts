/**
 * The types of the generated model tables (src/protocol/generated/model.ts). The tables are
 * plain data derived from the API model: validators and the router read them, so a constraint
 * lives in exactly one place.
 */

export type ShapeType = 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'list' | 'map' | 'structure';

export interface MemberRef {
  readonly shape: string;
  /** Where the member travels: absent = JSON body; `uri` = path label; `querystring` = query. */
  readonly location?: 'uri' | 'querystring' | 'header';
  readonly locationName?: string;
}

export interface ShapeDef {
  readonly type: ShapeType;
  /** Length for strings (characters), size for lists and maps, value for integers. */
  readonly min?: number;
  readonly max?: number;
  /** As stored in the model: unanchored. Validators anchor it. */
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly union?: boolean;
  readonly required?: readonly string[];
  readonly members?: Readonly<Record<string, MemberRef>>;
  /** Item shape of a list. */
  readonly member?: string;
  readonly key?: string;
  readonly value?: string;
  /** HTTP status of an exception shape. */
  readonly errorStatus?: number;
  readonly timestampFormat?: string;
}

export type ShapeTable = Readonly<Record<string, ShapeDef>>;

export interface OperationDef {
  readonly method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  /** Request URI template, e.g. `/tags/{resourceArn}`. */
  readonly uri: string;
  /** Success status. */
  readonly status: number;
  readonly input?: string;
  readonly output?: string;
  /** Exception shapes the model lists for the operation. */
  readonly errors: readonly string[];
}

export type OperationTable = Readonly<Record<string, OperationDef>>;
