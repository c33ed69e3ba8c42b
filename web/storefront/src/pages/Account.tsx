import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { nextPath } from '../lib/next-path';
import { fieldMessages } from '../lib/problem';
import { useSession } from '../session';
import { Field, Problem, useAction } from '../ui';

export function SignIn() {
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

export function SignUp() {
  const { signUp } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const submit = useAction(async () => {
    await signUp(form.name, form.email, form.password);
    navigate(nextPath(params));
  });
  const errors = fieldMessages(submit.error);
  const set = (name: keyof typeof form) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [name]: event.target.value });
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
