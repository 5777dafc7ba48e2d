"use client";
import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";

export function SignOutButton({ label }: { label: string }) {
  return (
    <Button variant="ghost" type="button" onClick={() => signOut({ callbackUrl: "/login" })} data-testid="sign-out">
      {label}
    </Button>
  );
}
