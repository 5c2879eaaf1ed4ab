import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_FIELD_RULES,
  accountFieldProblems,
  EmailSchema,
  NewPasswordSchema,
  PASSWORD_MIN_LENGTH,
  passwordProblem,
  TelefonSchema,
  UsernameSchema,
} from './account-rules';

describe('account rules', () => {
  it('states the password rule the schema applies', () => {
    expect(ACCOUNT_FIELD_RULES.password).toContain(`Minst ${PASSWORD_MIN_LENGTH} och högst 200`);
    expect(passwordProblem('a'.repeat(9))).toBe('Lösenordet måste ha minst 10 tecken');
    expect(passwordProblem('a'.repeat(10))).toBeNull();
    expect(NewPasswordSchema.safeParse('a'.repeat(201)).error?.issues).toHaveLength(1);
  });

  it('gives every field’s first problem at once, and leaves blank optional fields alone', () => {
    const schemas = {
      username: UsernameSchema,
      email: EmailSchema,
      telefon: TelefonSchema,
      password: NewPasswordSchema,
    };
    expect(
      accountFieldProblems(schemas, { username: 'a b', email: 'x', telefon: '', password: 'kort' }),
    ).toEqual({
      username: 'Användarnamnet får bara innehålla a–z, 0–9, punkt, bindestreck och understreck',
      email: 'Ange en giltig e-postadress',
      password: 'Lösenordet måste ha minst 10 tecken',
    });
    expect(
      accountFieldProblems(schemas, {
        username: ' Anna.S ',
        email: ' ',
        telefon: '+46 70-123 45 67',
        password: 'ett långt lösenord',
      }),
    ).toEqual({});
  });
});
