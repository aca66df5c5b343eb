/** Who is calling, as an access token says: `id` is the token's `sub`. */
export interface AuthenticatedUser {
  id: string;
  roles: string[];
}
