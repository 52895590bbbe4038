import { ref, watch } from 'vue';
import { useForm } from 'vee-validate';
import { toTypedSchema } from '@vee-validate/valibot';
import type { GenericSchema, InferInput, InferOutput } from 'valibot';
import { ApolloError, type FetchResult } from '@apollo/client/core';
import type { GraphQLFormattedError } from 'graphql';
import { ERROR_MESSAGES, isErrorCode, type FieldError } from '@signpost/policy';

/** One line of the error summary: the message, and the id of the control it links to. */
export interface Problem {
  field?: string;
  message: string;
}

/** A field of a form, as the error summary and the API's errors need it. */
export interface FieldInfo {
  /** What the field is, to start a sentence: "The web address". The API's messages name the field by its path; people read this. */
  noun: string;
  /** The id of the control the summary links to, when it is not the field's name (a date input's day box). */
  anchor?: string;
}

/** A key for one form on screen: a double submission or a retry after a lost answer records the thing once. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The options that send a form's idempotency key with its mutation. */
export const withIdempotencyKey = (key: string) => ({ context: { headers: { 'Idempotency-Key': key } } });

/**
 * Runs a mutation and answers its data or its errors, whichever way they came
 * back: GraphQL errors in the answer (errorPolicy "all"), or an HTTP error the
 * API decided before running it (a refused variable, a reused key).
 */
export async function attempt<T>(run: () => Promise<FetchResult<T> | null | undefined>): Promise<{ data: T | null; errors: readonly GraphQLFormattedError[] }> {
  try {
    const answer = await run();
    return { data: answer?.data ?? null, errors: answer?.errors ?? (answer?.data ? [] : [{ message: ERROR_MESSAGES.INTERNAL_SERVER_ERROR }]) };
  } catch (thrown) {
    if (thrown instanceof ApolloError) {
      if (thrown.graphQLErrors.length) return { data: null, errors: thrown.graphQLErrors };
      const result = (thrown.networkError as { result?: { errors?: GraphQLFormattedError[] } } | null)?.result;
      if (result?.errors?.length) return { data: null, errors: result.errors };
      return { data: null, errors: [{ message: 'Signpost could not be reached. Check your connection, then try again.' }] };
    }
    return { data: null, errors: [{ message: ERROR_MESSAGES.INTERNAL_SERVER_ERROR }] };
  }
}

/**
 * The API names a field by its path (`input.url must be …`, `occurredAt is …`)
 * and a value by its enum name (`NO_RESPONSE`): say both as people read them.
 * GOV.UK's messages have no full stop.
 */
export function humanise(message: string, path: string, noun: string | null, words: Readonly<Record<string, string>> = {}): string {
  let text = message;
  if (noun) {
    const property = path.split('.').pop() ?? path;
    for (const name of [path, property]) {
      if (name && text.startsWith(`${name} `)) {
        text = `${noun}${text.slice(name.length)}`;
        break;
      }
    }
  }
  text = text.replace(/\b[A-Z][A-Z_]+\b/g, (token) => (words[token] ? `‘${words[token]}’` : token));
  return text.replace(/\.$/, '');
}

/** The form field an API field path (`input.steps.0`) is about, if the form has it. */
export function formFieldOf(path: string, fields: Readonly<Record<string, FieldInfo>>): string | null {
  const name = path.replace(/^input\./, '').split(/[.[]/)[0] ?? '';
  return Object.hasOwn(fields, name) ? name : null;
}

/**
 * A GOV.UK form on vee-validate and a valibot schema: the fields check
 * themselves as people type (shown once a field has been left or the form
 * sent); sending lists every problem in the error summary, in the form's
 * order, each linking to its field; the API's answer is shown the same way,
 * each field error next to its field. The page's title starts "Error: " while
 * there are problems.
 */
export function useGovForm<S extends GenericSchema>(opts: {
  schema: S;
  initialValues: InferInput<S>;
  /** Every field, in the order the form shows them. */
  fields: Readonly<Record<string, FieldInfo>>;
  /** Words for the vocabulary's values in the API's messages (the policy's labels). */
  words?: Readonly<Record<string, string>>;
}) {
  // Without `cast`: vee-validate would otherwise run the schema over initial and reset values and keep its *output*
  // (a blank box becomes null, a date a Date), which the boxes cannot show and the schema then refuses.
  const validationSchema = { ...toTypedSchema(opts.schema), cast: undefined };
  const form = useForm({ validationSchema, initialValues: opts.initialValues as never });
  const problems = ref<Problem[]>([]);
  const sending = ref(false);
  const order = Object.keys(opts.fields);
  const anchor = (f: string) => opts.fields[f]?.anchor ?? f;

  function summarise(errors: Partial<Record<string, string | undefined>>, others: string[] = []) {
    problems.value = [
      ...order.filter((f) => errors[f]).map((f) => ({ field: anchor(f), message: errors[f]! })),
      ...others.map((message) => ({ message })),
    ];
  }

  /** The submit handler: checks every field, then sends the checked values (once at a time). */
  function onSubmit(send: (values: InferOutput<S>) => Promise<void>) {
    const handler = form.handleSubmit(
      async (values) => {
        problems.value = [];
        await send(values as InferOutput<S>);
      },
      ({ errors }) => summarise(errors as Record<string, string | undefined>),
    );
    return async (e?: Event) => {
      e?.preventDefault();
      if (sending.value) return;
      sending.value = true;
      try {
        await handler();
      } finally {
        sending.value = false;
      }
    };
  }

  /** Shows the API's refusal: each field error next to its field and in the summary, anything else in the summary. */
  function showServerErrors(errors: readonly GraphQLFormattedError[], others: string[] = []) {
    const byField: Record<string, string> = {};
    const general: string[] = [];
    for (const e of errors) {
      const code = e.extensions?.code;
      if (code === 'BAD_USER_INPUT') {
        const listed = (e.extensions?.fields as FieldError[] | undefined) ?? [];
        const fields = listed.length ? listed : [{ field: String(e.extensions?.field ?? ''), message: e.message }];
        for (const f of fields) {
          const name = formFieldOf(f.field, opts.fields);
          if (name) byField[name] ??= humanise(f.message, f.field, opts.fields[name]!.noun, opts.words);
          else general.push(humanise(f.message, f.field, null, opts.words));
        }
      } else {
        general.push(e.message || (isErrorCode(code) ? ERROR_MESSAGES[code] : ERROR_MESSAGES.INTERNAL_SERVER_ERROR));
      }
    }
    form.setErrors(byField as never);
    summarise(byField, [...general, ...others]);
  }

  // GOV.UK: the title says there is a problem, for people who hear the title first.
  watch(problems, (now) => {
    const base = document.title.replace(/^Error: /, '');
    document.title = now.length ? `Error: ${base}` : base;
  });

  return { ...form, problems, sending, onSubmit, showServerErrors };
}

/**
 * A move the API does not allow (TRANSITION_NOT_ALLOWED) comes with its unmet
 * conditions in words: each becomes a field error on the field `fieldOf`
 * names (an API path such as `input.status`), in the words `say` gives it.
 */
export function unmetOnFields(
  errors: readonly GraphQLFormattedError[],
  fieldOf: (unmet: string) => string,
  say: (unmet: string) => string = (u) => u,
): GraphQLFormattedError[] {
  return errors.flatMap((e) => {
    const unmet = (e.extensions?.unmet as string[] | undefined) ?? [];
    if (e.extensions?.code !== 'TRANSITION_NOT_ALLOWED' || !unmet.length) return [e];
    return unmet.map((u) => ({ message: say(u), extensions: { code: 'BAD_USER_INPUT', field: fieldOf(u) } }));
  });
}
