import * as v from 'valibot'

/** The one error body of every twtix route, as `common`'s error handler renders it. */
export const ErrorBody = v.pipe(
  v.object({
    errors: v.array(
      v.object({
        message: v.pipe(v.string(), v.description('What went wrong, in words a person can read')),
        field: v.optional(
          v.pipe(
            v.string(),
            v.description('The dotted path of the bad input; only on validation errors'),
          ),
        ),
      }),
    ),
  }),
  v.description(
    'Every error: one entry per problem; `field` names the bad input on validation errors.',
  ),
  v.metadata({ ref: 'Error' }),
)
