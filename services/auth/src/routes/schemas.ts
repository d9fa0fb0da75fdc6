import * as v from 'valibot'

export const CredentialsBody = v.object({
  email: v.pipe(
    v.string('Email must be a string'),
    v.trim(),
    v.nonEmpty('Email is required'),
    v.maxLength(254, 'Email must be at most 254 characters'),
    v.email('Email must be valid'),
  ),
  password: v.pipe(
    v.string('Password must be a string'),
    v.minLength(8, 'Password must be between 8 and 128 characters'),
    v.maxLength(128, 'Password must be between 8 and 128 characters'),
  ),
})

export const SigninBody = v.object({
  email: v.pipe(
    v.string('Email must be a string'),
    v.trim(),
    v.maxLength(254, 'Email must be at most 254 characters'),
    v.email('Email must be valid'),
  ),
  password: v.pipe(
    v.string('Password must be a string'),
    v.nonEmpty('You must supply a password'),
    v.maxLength(128, 'Password must be between 8 and 128 characters'),
  ),
})
