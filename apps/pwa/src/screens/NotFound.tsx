import { Link } from 'wouter';

export function NotFound() {
  return (
    <>
      <h1>Sidan finns inte</h1>
      <p>
        Sidan finns inte, eller så har du inte behörighet till den.{' '}
        <Link href="/">Till startsidan</Link>
      </p>
    </>
  );
}
