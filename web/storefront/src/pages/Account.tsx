import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { onDevelopmentMachine } from '../lib/development-machine';
import { nextPath } from '../lib/next-path';
import { fieldMessages } from '../lib/problem';
import { useSession } from '../session';
import { Field, Problem, useAction, usePageTitle } from '../ui';

export function SignIn() {
  usePageTitle('Sign in');
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = useAction(async () => {
    await signIn(email, password);
    navigate(nextPath(params));
  });
  return (
    <form
      className="narrow"
      onSubmit={(event) => {
        event.preventDefault();
        void submit.run();
      }}
    >
      <h1>Sign in</h1>
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <Problem error={submit.error} />
      <button type="submit" disabled={submit.busy}>
        {submit.busy ? 'Signing in…' : 'Sign in'}
      </button>
      <p>
        New here? <Link to={`/signup?${params}`}>Create an account</Link>
      </p>
    </form>
  );
}

/** Where to go once the mailed link is followed, which may be in another tab. */
const afterConfirmation = 'bazaar:after-confirmation';

export function SignUp() {
  usePageTitle('Create an account');
  const { signUp } = useSession();
  const [params] = useSearchParams();
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [sentTo, setSentTo] = useState<string>();
  const submit = useAction(async () => {
    localStorage.setItem(afterConfirmation, nextPath(params));
    setSentTo(await signUp(form.name, form.email, form.password));
  });
  const errors = fieldMessages(submit.error);
  const set = (name: keyof typeof form) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [name]: event.target.value });
  if (sentTo) {
    return (
      <div className="narrow" role="status">
        <h1>Check your email</h1>
        <p>
          We sent a link to <strong>{sentTo}</strong>. Open it in this browser to confirm your
          address; your account opens then, with your cart.
        </p>
        <p>No mail after a few minutes? Check the spam folder, or sign up again for a new link.</p>
        {onDevelopmentMachine && (
          <p className="hint">
            A shop without <code>SMTP_URL</code> mails nobody: the link is in the back office's mail
            log.
          </p>
        )}
      </div>
    );
  }
  return (
    <form
      className="narrow"
      onSubmit={(event) => {
        event.preventDefault();
        void submit.run();
      }}
    >
      <h1>Create an account</h1>
      <Field
        label="Name"
        name="name"
        autoComplete="name"
        required
        value={form.name}
        onChange={set('name')}
        error={errors.name}
      />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={form.email}
        onChange={set('email')}
        error={errors.email}
      />
      <Field
        label="Password (at least 10 characters)"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        value={form.password}
        onChange={set('password')}
        error={errors.password}
      />
      <Problem error={submit.error} />
      <button type="submit" disabled={submit.busy}>
        {submit.busy ? 'Creating…' : 'Create account'}
      </button>
      <p>
        Have an account? <Link to={`/signin?${params}`}>Sign in</Link>
      </p>
    </form>
  );
}

export function VerifyEmail() {
  usePageTitle('Confirming your email address');
  const { confirmEmail } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const confirm = useAction(async () => {
    await confirmEmail(params.get('token') ?? '');
    const next = localStorage.getItem(afterConfirmation) ?? '/';
    localStorage.removeItem(afterConfirmation);
    navigate(nextPath(new URLSearchParams({ next })));
  });
  // A token works once: the link is followed once, however often the page renders.
  const followed = useRef(false);
  useEffect(() => {
    if (followed.current) return;
    followed.current = true;
    void confirm.run();
  });
  return (
    <div className="narrow">
      <h1>Confirming your email address</h1>
      {confirm.error ? (
        <>
          <Problem error={confirm.error} />
          <p>
            <Link to="/signup">Sign up again</Link> for a new link, or{' '}
            <Link to="/signin">sign in</Link> if you confirmed it already.
          </p>
        </>
      ) : (
        <p role="status">One moment…</p>
      )}
    </div>
  );
}
